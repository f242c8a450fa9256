"""Reads of organisations and memberships, scoped to the user."""

from django.db.models import QuerySet

from .models import LA_MEMBER_ROLES, LA_ROLES, ApiToken, LocalAuthority, Membership, Provider, School, User

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
    return School.objects.visible_to(user)


def providers_visible_to(user) -> QuerySet[Provider]:
    """Provider records (contacts, registration) for signed-in staff; the public sees them via the directory."""
    return Provider.objects.visible_to(user)


def local_authorities_visible_to(user) -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.visible_to(user)


def memberships_visible_to(user) -> QuerySet[Membership]:
    return Membership.objects.visible_to(user)


def own_memberships(user) -> QuerySet[Membership]:
    """The memberships a signed-in user may switch between: their own, never anyone else's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return user.memberships.select_related("local_authority", "school", "provider").order_by("id")


def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.visible_to(user).select_related("membership__user").order_by("-created_at", "-id")


def la_team(user) -> QuerySet[Membership]:
    """The memberships of the user's LA staff (admins, officers, auditors, finance officers), never its schools' or
    providers' staff, nor another LA's: the LA admin's team page (decision 0027)."""
    membership = membership_of(user)
    if membership is None or membership.local_authority_id is None:
        return Membership.objects.none()
    return (
        Membership.objects.visible_to(user)
        .filter(local_authority_id=membership.local_authority_id, role__in=LA_MEMBER_ROLES)
        .select_related("user", "local_authority")
        .order_by("user__full_name", "user__email", "pk")
    )
