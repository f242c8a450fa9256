"""Who may change the LA's commercial arrangements, providers' applications, evaluations and contracts, and quality
assurance (decision 0021). Services insist with `core.permissions.require`; pages ask the same functions for their
buttons. Which moves a state allows is each lifecycle's table; which records a user sees is scoping's question."""

from aphub.organisations.models import COMMISSIONING_MONEY_EDITORS, LA_ADMINS, LA_EDITORS, PROVIDER_ROLES, Membership
from aphub.organisations.permissions import acts_as, is_la_admin_of, is_la_editor_of, is_provider_staff_of

from .models import Admission, Application, CommercialArrangement, VisitAction

# --- Arrangements -----------------------------------------------------------------------------------------------


def can_set_up_arrangements(membership: Membership | None) -> bool:
    """LA officers and admins set up an arrangement, owned by their LA."""
    return acts_as(membership, LA_EDITORS)


def can_change_arrangement(membership: Membership | None, arrangement: CommercialArrangement) -> bool:
    """Officers and admins of the owner LA change an arrangement; partner LAs and auditors only read it."""
    return is_la_editor_of(membership, arrangement.owner_id)


# --- Applications, evaluation and contracts ---------------------------------------------------------------------


def can_apply(membership: Membership | None) -> bool:
    """A provider's staff apply to an arrangement and keep the provider's evidence."""
    return acts_as(membership, PROVIDER_ROLES)


def can_change_application(membership: Membership | None, application: Application) -> bool:
    """Only the applying provider's staff change its application."""
    return is_provider_staff_of(membership, application.provider_id)


def can_evaluate(membership: Membership | None) -> bool:
    """LA officers and admins evaluate the applications sent to their LA and record contracts; auditors read."""
    return acts_as(membership, LA_EDITORS)


# --- Quality assurance ------------------------------------------------------------------------------------------


def can_change_quality_policy(membership: Membership | None, local_authority_id: int | None = None) -> bool:
    """An LA's admins set how often its providers are visited (of `local_authority_id`, when it is given)."""
    if local_authority_id is None:
        return acts_as(membership, LA_ADMINS)
    return is_la_admin_of(membership, local_authority_id)


def can_assure_quality(membership: Membership | None, local_authority_id: int | None = None) -> bool:
    """An LA's officers and admins plan and record monitoring visits, their actions, scorecards and complaints (of
    `local_authority_id`, when it is given); the auditor reads them."""
    if local_authority_id is None:
        return acts_as(membership, LA_EDITORS)
    return is_la_editor_of(membership, local_authority_id)


def can_note_action(membership: Membership | None, action: VisitAction) -> bool:
    """The visited provider's staff say what they have done about an action."""
    return is_provider_staff_of(membership, action.visit.provider_id)


def can_change_admission(membership: Membership | None, admission: Admission) -> bool:
    """Only the arrangement's owner LA suspends, reinstates or removes a provider; a partner LA asks the owner."""
    return is_la_editor_of(membership, admission.lot.arrangement.owner_id)


# --- Top-up bands and commissioned places --------------------------------------------------------------------------


def _sets_commissioning_money(membership: Membership | None, local_authority_id: int | None) -> bool:
    """COMMISSIONING_MONEY_EDITORS of the LA (of `local_authority_id`, when it is given); auditors only read."""
    if not acts_as(membership, COMMISSIONING_MONEY_EDITORS):
        return False
    return local_authority_id is None or membership.local_authority_id == local_authority_id


def can_set_top_up_bands(membership: Membership | None, local_authority_id: int | None = None) -> bool:
    """An LA's finance officers, admins and officers add, change and retire its top-up bands."""
    return _sets_commissioning_money(membership, local_authority_id)


def can_set_commissioned_places(membership: Membership | None, local_authority_id: int | None = None) -> bool:
    """An LA's officers, admins and finance officers set the places it commissions at its provisions: a commissioning
    decision (how many places to buy, from the demand officers see) taken with finance (each place is £10,000 of the
    high needs block)."""
    return _sets_commissioning_money(membership, local_authority_id)
