"""Writes for organisations: API tokens for machine clients, and the LA's team: who works for it in which role."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from aphub.core.clock import now
from aphub.core.errors import DomainError, Problems
from aphub.core.forms.validators import at_most, check_limit, check_required
from aphub.core.model_fields import max_length
from aphub.core.permissions import require

from .models import LA_MEMBER_ROLES, ApiToken, Membership, Role, User
from .permissions import can_manage_api_tokens, can_manage_team
from .queries import membership_of
from .signals import team_changed

# Machine clients act for an organisation through the membership of the person who issued the token.
MAX_TOKEN_DAYS = 366

# The token's name, as the page and the service both check it (decision 0025).
TOKEN_NAME = at_most(max_length(ApiToken, "name"), "The token's name")


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


@transaction.atomic
def issue_api_token(*, membership: Membership, name: str, valid_days: int = 90) -> IssuedToken:
    """Make a bearer token for a machine client. Only its SHA-256 digest is kept; the plaintext is returned once."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the token, such as the system that will use it", field="name")
    name = check_limit(TOKEN_NAME, name, field="name")
    # A refusal, not a form error (it was a DomainError, shown as if the name were wrong).
    require(can_manage_api_tokens(membership), "Only LA admins, school staff and provider staff can make API tokens")
    if not 1 <= valid_days <= MAX_TOKEN_DAYS:
        raise DomainError(f"A token must last between 1 and {MAX_TOKEN_DAYS} days", field="valid_days")
    plaintext = ApiToken.new_token()
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        digest=ApiToken.digest_of(plaintext),
        expires_at=now() + datetime.timedelta(days=valid_days),
    )
    return IssuedToken(token=token, plaintext=plaintext)


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    """Stop a token working at once. Revoking twice keeps the first time."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = now()
        token.save(update_fields=["revoked_at"])
    return token


# --- The LA's team (decision 0027) ----------------------------------------------------------------------------------

EMAIL_LENGTH = max_length(User, "email")
# A colleague's name, as the team page and the service both check it (decision 0025).
COLLEAGUE_NAME_LENGTH = max_length(User, "full_name")
COLLEAGUE_NAME = at_most(COLLEAGUE_NAME_LENGTH, "Their full name")
CHOOSE_ROLE = "Choose their role"
# The roles of an LA's staff, in the order the team page offers them.
TEAM_ROLES = (Role.LA_ADMIN, Role.LA_OFFICER, Role.FINANCE_OFFICER, Role.AUDITOR)
assert set(TEAM_ROLES) == LA_MEMBER_ROLES  # a new LA role is offered on the team page, or this says why not


def _logged(user: User, obj: Membership | User, verb: str) -> None:
    """The access log's row for a change to the team (audit/signals.py writes it: audit sits above organisations)."""
    team_changed.send(sender=type(obj), user=user, obj=obj, verb=verb)


def colleague_email(value: str | None) -> str:
    """The address a colleague signs in with, as AP Hub keeps it: in lower case (UserManager.create_user)."""
    text = (value or "").strip()
    if len(text) > EMAIL_LENGTH:
        raise ValidationError(f"The email address must be {EMAIL_LENGTH} characters or fewer")
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError("Enter an email address in the correct format, like name@example.org") from None
    return text.lower()


def _check_role(problems: Problems, role: str) -> None:
    if role not in LA_MEMBER_ROLES:
        problems.add(CHOOSE_ROLE, field="role")


@dataclass(frozen=True)
class AddedColleague:
    membership: Membership
    new_account: bool  # AP Hub made their account now: it has no password yet


@transaction.atomic
def add_colleague(*, user: User, email: str, full_name: str, role: str) -> AddedColleague:
    """An LA admin gives a colleague a role at their LA. A new address becomes an account with no usable password
    (AP Hub has no invitation or password reset page yet: a password is set with `aphub changepassword`); a known
    one keeps its account and name, and gains the LA beside its other organisations."""
    admin = membership_of(user)
    require(can_manage_team(admin), "Only your LA's admins can give colleagues a role")
    assert admin is not None  # can_manage_team is False without a membership
    problems = Problems()
    email = check_required(problems, colleague_email, email, field="email", missing="Enter their email address")
    full_name = check_required(problems, COLLEAGUE_NAME, full_name, field="full_name", missing="Enter their full name")
    _check_role(problems, role)
    problems.raise_any()
    email = email.lower()
    colleague = User.objects.filter(email__iexact=email).first()
    new_account = colleague is None
    if colleague is None:
        colleague = User.objects.create_user(email, password=None, full_name=full_name)
        _logged(user, colleague, "create")
    elif Membership.objects.filter(user=colleague, local_authority_id=admin.local_authority_id).exists():
        raise DomainError(
            f"{email} already has a role at {admin.local_authority}: change it from the team page", field="email"
        )
    membership = Membership.objects.create(user=colleague, role=role, local_authority_id=admin.local_authority_id)
    _logged(user, membership, "create")
    return AddedColleague(membership=membership, new_account=new_account)


def _locked(membership: Membership) -> Membership:
    """The membership read again under a row lock, with its user and LA. Only the membership's own row is locked
    (`of=("self",)`): its LA is nullable, an outer join, and PostgreSQL cannot lock the nullable side of one."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "local_authority")
        .get(pk=membership.pk)
    )


def _keep_an_admin(user: User, membership: Membership) -> None:
    """Refuse to take away the LA's last admin: nobody could give a role again (only admins do). The LA's admins are
    locked in one order, so two admins stepping down at once cannot both go."""
    admins = list(
        Membership.objects.select_for_update()
        .filter(local_authority_id=membership.local_authority_id, role=Role.LA_ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        who = "You are" if membership.user_id == user.pk else f"{membership.user.full_name} is"
        raise DomainError(
            f"{who} the last LA admin of {membership.local_authority}. Make a colleague an LA admin first, so "
            "someone can still give roles.",
            field="role",
        )


@transaction.atomic
def change_colleague_role(*, user: User, membership: Membership, role: str) -> Membership:
    """An LA admin changes a colleague's role at the LA; it applies from their next page."""
    require(
        can_manage_team(membership_of(user), membership.local_authority_id),
        "Only your LA's admins can change a colleague's role",
    )
    problems = Problems()
    _check_role(problems, role)
    problems.raise_any()
    membership = _locked(membership)
    if membership.role == role:
        return membership
    if membership.role == Role.LA_ADMIN:
        _keep_an_admin(user, membership)
    membership.role = role
    membership.save(update_fields=["role"])
    _logged(user, membership, "change")
    return membership


@transaction.atomic
def remove_colleague(*, user: User, membership: Membership) -> None:
    """An LA admin takes a colleague's role at the LA away: from their next page they no longer act for it, and the
    API tokens they made for it stop working (deleted with the membership). Their account and other roles stay."""
    require(
        can_manage_team(membership_of(user), membership.local_authority_id),
        "Only your LA's admins can remove a colleague's role",
    )
    membership = _locked(membership)
    if membership.role == Role.LA_ADMIN:
        _keep_an_admin(user, membership)
    # The log keeps the membership's id, which outlives it, and the account it belonged to, which the log names.
    _logged(user, membership, "erase")
    _logged(user, membership.user, "change")
    membership.delete()
