"""Who may record and change a child's details and school roll (decision 0021). Which children a user sees is
scoping's question (`Pupil.objects.visible_to`)."""

from aphub.organisations.models import COMMISSIONERS, Membership
from aphub.organisations.permissions import acts_as


def can_record_pupils(membership: Membership | None) -> bool:
    """LA officers and admins record their LA's children, school staff their own pupils; they also change a child's
    details and enrol them. The auditor only reads; providers see children through their placements."""
    return acts_as(membership, COMMISSIONERS)
