"""Reads for the pupil pages, scoped to the user."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from aphub.organisations.models import LA_ROLES, School
from aphub.organisations.queries import membership_of

from .models import Pupil


def pupil_to_change(user, pk: int) -> Pupil:
    """The pupil, or a 404 when missing or not the user's to see (the same answer, so nothing leaks)."""
    return get_object_or_404(Pupil.objects.visible_to(user), pk=pk)


def schools_to_enrol_at(user) -> QuerySet[School]:
    """The open schools of an LA officer's own LA; none for anyone else."""
    membership = membership_of(user)
    if membership is None or membership.role not in LA_ROLES:
        return School.objects.none()
    return School.objects.filter(local_authority_id=membership.local_authority_id, is_open=True).order_by("name")
