"""Reads of a child's journey, always scoped to the user (Model.objects.visible_to)."""

from django.db.models import QuerySet

from aphub.pupils.models import Pupil


def pupils_for(user) -> QuerySet[Pupil]:
    return Pupil.objects.visible_to(user).select_related("local_authority")
