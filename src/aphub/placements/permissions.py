"""Who may change a child's journey: episodes, placements, waiting lists, routes, referrals, the panel, reviews,
follow-ups and registers (decision 0021). Services insist with `core.permissions.require`; pages ask the same
functions for their buttons. Which records a user sees is scoping's question (`visible_to`), not these."""

from aphub.organisations.models import (
    COMMISSIONERS,
    LA_ADMINS,
    LA_EDITORS,
    PROVIDER_ROLES,
    SCHOOL_ROLES,
    Membership,
    Payer,
)
from aphub.organisations.permissions import (
    acts_as,
    is_la_admin_of,
    is_la_editor_of,
    is_provider_staff_of,
    is_school_staff_of,
)

from .models import Commissioner, FollowUp, Placement, Route

# --- Episodes and placements ------------------------------------------------------------------------------------


def can_commission(membership: Membership | None) -> bool:
    """LA officers and admins, and school staff, commission AP: they record why a child needs it (an episode),
    offer placements, close episodes and keep waiting lists. The auditor only reads."""
    return acts_as(membership, COMMISSIONERS)


def can_record_school_arranged(membership: Membership | None) -> bool:
    """School staff record the AP their school arranged itself, at any provider (the census AP module): the school
    is the commissioner. The LA's own placements are offered, not recorded."""
    return acts_as(membership, SCHOOL_ROLES)


def can_correct_episodes(membership: Membership | None) -> bool:
    """Only the LA's officers and admins correct or withdraw an episode (a school records a new one)."""
    return acts_as(membership, LA_EDITORS)


def can_change_commissioner(membership: Membership | None, placement: Placement) -> bool:
    """The child's LA officers and admins decide who commissions a placement: they name the commissioning school,
    change it, or hand the placement back to the LA. Nobody else does, not even the school named."""
    return is_la_editor_of(membership, placement.pupil.local_authority_id)


def can_hand_back_to_la(membership: Membership | None, placement: Placement) -> bool:
    """Whether the page offers the user to hand this placement back to the LA: a school commissions it and it is
    neither ended nor cancelled (who commissioned a finished placement is its history)."""
    return (
        can_change_commissioner(membership, placement)
        and placement.commissioner == Commissioner.SCHOOL
        and placement.status in Placement.HOLDING_STATES
    )


def can_change_routes(membership: Membership | None, route: Route | None = None) -> bool:
    """An LA's admins set who commissions and pays on their LA's routes (any route of theirs, without `route`)."""
    if route is None:
        return acts_as(membership, LA_ADMINS)
    return is_la_admin_of(membership, route.local_authority_id)


# --- Referrals and the panel ------------------------------------------------------------------------------------


def can_refer(membership: Membership | None) -> bool:
    """School staff refer pupils on their roll; LA officers and admins any child of their LA."""
    return acts_as(membership, COMMISSIONERS)


def can_sit_on_panel(membership: Membership | None) -> bool:
    """LA officers and admins arrange panel meetings and record the panel's decisions."""
    return acts_as(membership, LA_EDITORS)


# --- Reviews and follow-ups -------------------------------------------------------------------------------------


def can_record_review(membership: Membership | None, placement: Placement) -> bool:
    """Provider staff of the placement's provider, or its commissioner (the pupil's LA or the commissioning school)."""
    if acts_as(membership, PROVIDER_ROLES):
        # The provider's scope (Placement.PROVIDER_SEES_STATES): a placement cancelled before it started is not theirs.
        return (
            is_provider_staff_of(membership, placement.provision.provider_id)
            and placement.status in Placement.PROVIDER_SEES_STATES
        )
    if placement.commissioner == Payer.LA:
        return is_la_editor_of(membership, placement.pupil.local_authority_id)
    return is_school_staff_of(membership, placement.commissioning_school_id)


def can_record_follow_ups(membership: Membership | None) -> bool:
    """The roles that record how a child is doing 6 and 12 weeks after AP: the LA's officers and schools."""
    return acts_as(membership, COMMISSIONERS)


def can_record_follow_up(membership: Membership | None, follow_up: FollowUp) -> bool:
    """Officers and admins of the pupil's LA, or staff of the school the child went back to or came from."""
    placement = follow_up.placement
    if acts_as(membership, LA_EDITORS):
        return is_la_editor_of(membership, placement.pupil.local_authority_id)
    if not acts_as(membership, SCHOOL_ROLES):
        return False
    schools = {placement.destination_school_id, placement.commissioning_school_id, placement.episode.school_id}
    if any(is_school_staff_of(membership, school_id) for school_id in schools):
        return True
    return (
        membership.school_id is not None and placement.pupil.enrolments.filter(school_id=membership.school_id).exists()
    )


# --- Registers --------------------------------------------------------------------------------------------------


def can_take_registers(membership: Membership | None, provider_id: int | None = None) -> bool:
    """Provider staff take their provisions' registers (of `provider_id`'s provisions, when it is given)."""
    if provider_id is None:
        return acts_as(membership, PROVIDER_ROLES)
    return is_provider_staff_of(membership, provider_id)
