"""Reads of organisations and memberships, scoped to the user."""

from django.db.models import QuerySet

from .models import LA_ROLES, LocalAuthority, Membership, Provider, Role, School, User

MEMBERSHIP_SESSION_KEY = "aphub_membership_id"


def current_membership(user: User, session=None) -> Membership | None:
    """The membership the user chose for this session, else their first one."""
    memberships = user.memberships.select_related(
        "local_authority", "school__local_authority", "provider__local_authority"
    ).order_by("id")
    chosen = session.get(MEMBERSHIP_SESSION_KEY) if session is not None else None
    if chosen is not None:
        membership = memberships.filter(pk=chosen).first()
        if membership is not None:
            return membership
    return memberships.first()


def membership_of(user) -> Membership | None:
    """The active membership set by the middleware or the API token; None for the public."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "membership"):
        user.membership = current_membership(user)
    return user.membership


def role_of(user) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def is_la_staff(user) -> bool:
    return role_of(user) in LA_ROLES


def schools_visible_to(user) -> QuerySet[School]:
    membership = membership_of(user)
    if membership is None:
        return School.objects.none()
    if membership.role in LA_ROLES:
        return School.objects.filter(local_authority_id=membership.local_authority_id)
    if membership.role == Role.SCHOOL_STAFF:
        return School.objects.filter(pk=membership.school_id)
    return School.objects.none()


def providers_visible_to(user) -> QuerySet[Provider]:
    """Provider records (contacts, registration) for signed-in staff; the public sees them via the directory."""
    membership = membership_of(user)
    if membership is None:
        return Provider.objects.none()
    if membership.role == Role.PROVIDER_STAFF:
        return Provider.objects.filter(pk=membership.provider_id)
    return Provider.objects.all()


def local_authorities_visible_to(user) -> QuerySet[LocalAuthority]:
    membership = membership_of(user)
    if membership is None:
        return LocalAuthority.objects.none()
    la = membership.home_local_authority
    return LocalAuthority.objects.filter(pk=la.pk) if la else LocalAuthority.objects.none()
