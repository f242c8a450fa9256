"""Who may change a child's journey: episodes, placements, waiting lists, routes, referrals, the panel, reviews,
follow-ups and registers (decision 0021). Services insist with `core.permissions.require`; pages ask the same
functions for their buttons. Which records a user sees is scoping's question (`visible_to`), not these."""

from django.db.models import Q, QuerySet

from aphub.directory.models import Provision
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


def can_rename_recorded_provider(membership: Membership | None, provision: Provision) -> bool:
    """The LA's officers and admins, who keep its directory, correct the name of a provider its schools recorded AP at
    (a RECORDED provision of their LA) when the school identified it by URN or UKPRN: the importer finds those by
    their number, so a new name splits nothing. A provider a school named is found by that name in its next return,
    and an unnamed one stands for several providers: the school corrects those, not the LA (decision 0026)."""
    provider = provision.provider
    return (
        is_la_editor_of(membership, provision.local_authority_id)
        and provision.status == Provision.Status.RECORDED
        and not provider.unnamed
        and bool(provider.urn or provider.ukprn)
    )


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
# A provider that uses AP Hub takes its own registers. AP a school arranged itself at a provider that has no users in
# AP Hub has nobody there to take them, so the commissioning school does: the school keeps the child on its roll,
# marks the sessions B (at an approved educational activity, School Attendance (Pupil Registration) (England)
# Regulations 2024) and, as DfE 'Working together to improve school attendance' (2024) expects of a school that
# arranges off-site AP, has the provider tell it of the child's attendance. Never both: no session is marked twice.


def provider_users() -> QuerySet[Membership]:
    """The provider staff memberships of active users: a provider with any uses AP Hub and takes its registers."""
    return Membership.objects.filter(role__in=PROVIDER_ROLES, user__is_active=True)


def uses_ap_hub(provider_id: int) -> bool:
    return provider_users().filter(provider_id=provider_id).exists()


def can_take_registers(membership: Membership | None, provider_id: int | None = None) -> bool:
    """Provider staff take their provisions' registers; school staff take the registers of AP their school recorded
    at a provider with no users in AP Hub (at `provider_id`, when it is given: its own staff, when it has any, or a
    school when it has none; which of its pupils a school marks is `can_take_register_of`)."""
    if acts_as(membership, PROVIDER_ROLES):
        return provider_id is None or is_provider_staff_of(membership, provider_id)
    if acts_as(membership, SCHOOL_ROLES):
        return provider_id is None or not uses_ap_hub(provider_id)
    return False


def can_take_register_of(membership: Membership | None, placement: Placement) -> bool:
    """Who marks this placement on a register: the staff of its provider; or, for AP a school recorded at a provider
    with no users in AP Hub, the commissioning school's staff (not another school's, even at the same provider)."""
    if acts_as(membership, PROVIDER_ROLES):
        return is_provider_staff_of(membership, placement.provision.provider_id)
    return (
        placement.recorded_by_school
        and placement.commissioner == Commissioner.SCHOOL
        and is_school_staff_of(membership, placement.commissioning_school_id)
        and not uses_ap_hub(placement.provision.provider_id)
    )


def registers_taken_by(membership: Membership | None, placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """`can_take_register_of` as a filter of `placements` (already scoped to the user), for lists and checks of many.
    tests/attendance/test_school_registers.py holds the two to the same answers."""
    if acts_as(membership, PROVIDER_ROLES):
        return placements.filter(Q(provision__provider_id=membership.provider_id))
    if not acts_as(membership, SCHOOL_ROLES):
        return placements.none()
    return placements.filter(
        recorded_by_school=True, commissioner=Commissioner.SCHOOL, commissioning_school_id=membership.school_id
    ).exclude(provision__provider_id__in=provider_users().values("provider_id"))
