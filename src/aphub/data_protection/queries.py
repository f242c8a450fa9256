"""Reads of the logs, scoped to the reader: an LA's admins and auditors see the entries of their LA's people."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from aphub.audit.models import AccessLogEntry
from aphub.audit.services import PUPIL_LABEL
from aphub.core.web.query_filters import filter_given


def about_children(pupil_ids: list[int]) -> Q:
    """Every entry about these children: their own records, every record that is theirs (placements, reviews,
    clocks...; the tables are found as the subject access export finds them) and every list that showed them."""
    from .subject_access import tables_holding_pupil_data

    about = Q(object_type=PUPIL_LABEL, object_id__in=[str(pk) for pk in pupil_ids])
    for pk in pupil_ids:
        about |= Q(pupil_ids__contains=f",{pk},")
    for table in tables_holding_pupil_data():
        if table.lookup == "pk":
            continue
        ids = [
            str(pk)
            for pk in table.model._default_manager.filter(**{f"{table.lookup}__in": pupil_ids}).values_list(
                "pk", flat=True
            )
        ]
        if ids:
            about |= Q(object_type=table.label, object_id__in=ids)
    return about


def children_matching(user, words: str, *, limit: int = 20) -> list:
    """The children the reader may see whose name or UPN matches the words (at most `limit`)."""
    from aphub.placements.queries import pupils_for

    return list(pupils_for(user, words=words).order_by("last_name", "first_name", "pk")[:limit])


def child_for(user, pk: int):
    """The child the log is filtered by: one the reader may see, or an erased record of their LA, whose entries
    (the erasure among them) the log still shows under "Erased record"."""
    from aphub.placements.queries import pupils_for
    from aphub.pupils.models import Pupil

    return (
        pupils_for(user).filter(pk=pk).first()
        or Pupil.objects.visible_to(user, erased=True).filter(pk=pk, erased_at__isnull=False).first()
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight UK time: a day in the filter is the day the reader lived, not UTC's."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log_for(
    user,
    *,
    object_type: str = "",
    object_id: str = "",
    person: str = "",
    pupil_ids: list[int] | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AccessLogEntry]:
    entries = filter_given(
        AccessLogEntry.objects.visible_to(user),
        object_type=object_type,
        object_id=object_id,
        user_email__icontains=person,
    )
    if pupil_ids is not None:
        entries = entries.filter(about_children(pupil_ids)) if pupil_ids else entries.none()
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return entries
