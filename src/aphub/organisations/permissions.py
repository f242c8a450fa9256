"""The pieces every app's `can_<action>` is built from: is this membership of these roles, of this organisation.

A membership is the user's current role in one organisation (`membership_of(user)`), or None for the public and
for a user with none: every function here is False for None (deny by default, as `visible_to` is).
"""

from collections.abc import Collection
from typing import TypeGuard

from .models import API_TOKEN_ROLES, LA_ADMINS, LA_EDITORS, PROVIDER_ROLES, SCHOOL_ROLES, Membership


def acts_as(membership: Membership | None, roles: Collection[str]) -> TypeGuard[Membership]:
    """The membership's role is one of `roles` (and, to the type checker, the membership is not None)."""
    return membership is not None and membership.role in roles


def is_la_editor_of(membership: Membership | None, local_authority_id: int | None) -> bool:
    """An officer or admin of this LA (not its auditor: auditors only read)."""
    return acts_as(membership, LA_EDITORS) and membership.local_authority_id == local_authority_id


def is_la_admin_of(membership: Membership | None, local_authority_id: int | None) -> bool:
    return acts_as(membership, LA_ADMINS) and membership.local_authority_id == local_authority_id


def is_school_staff_of(membership: Membership | None, school_id: int | None) -> bool:
    return acts_as(membership, SCHOOL_ROLES) and membership.school_id == school_id


def is_provider_staff_of(membership: Membership | None, provider_id: int | None) -> bool:
    return acts_as(membership, PROVIDER_ROLES) and membership.provider_id == provider_id


def can_manage_team(membership: Membership | None, local_authority_id: int | None = None) -> bool:
    """Only an LA's admins give its staff their roles, change and remove them (decision 0027): of their own LA, with
    `local_authority_id`; any LA admin may open the page of their own team without it."""
    if local_authority_id is None:
        return acts_as(membership, LA_ADMINS)
    return is_la_admin_of(membership, local_authority_id)


def can_manage_api_tokens(membership: Membership | None) -> bool:
    return acts_as(membership, API_TOKEN_ROLES)
