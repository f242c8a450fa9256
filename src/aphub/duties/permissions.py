"""Who may act on a statutory duty by hand (decision 0021). Which clocks a user sees is scoping's question."""

from aphub.organisations.models import LA_EDITORS, Membership
from aphub.organisations.permissions import acts_as, is_la_editor_of, is_school_staff_of

from .models import Clock


def can_record_met(membership: Membership | None, clock: Clock) -> bool:
    """LA officers and admins of the clock's LA, or staff of the school that owns it (a governing board's decision
    on reinstatement is the school's to record). Whether the duty can be recorded by hand, and now, is
    services.may_record_met's question."""
    if acts_as(membership, LA_EDITORS):
        return is_la_editor_of(membership, clock.local_authority_id)
    return clock.owner_school_id is not None and is_school_staff_of(membership, clock.owner_school_id)
