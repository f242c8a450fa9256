"""A school's census AP module, written from the AP it recorded: the rows its MIS would send for a collection.

The census asks for the AP placements a school arranged that ran at any time in the collection period (a term,
ending on the census day). The file has the census's columns, in its order, with its codes (census.py), so the
school's own import reads it back unchanged; `provider_name` is added for a provider without a URN or UKPRN that the
school named.
"""

import datetime

from django.db.models import Q, QuerySet

from aphub.core.files.exports import Column
from aphub.organisations.models import Payer, User
from aphub.organisations.queries import membership_of
from aphub.placements.models import Placement

from .census import (
    COLUMNS,
    FULL_TIME,
    PART_TIME,
    census_reason,
    census_setting,
    reason_code,
    setting_code,
    weekly_cost_of,
)


def recorded_placements(
    user: User, *, first: datetime.date | None = None, last: datetime.date | None = None
) -> QuerySet:
    """The placements the user's school commissioned, recorded here or offered through AP Hub, that ran at any time
    from `first` to `last` (either open-ended), scoped to the user, oldest first."""
    membership = membership_of(user)
    placements = (
        Placement.objects.visible_to(user)
        .filter(commissioner=Payer.SCHOOL, commissioning_school_id=getattr(membership, "school_id", None))
        .exclude(status=Placement.Status.CANCELLED)
        .select_related("pupil", "provision__provider", "route")
        .order_by("start_date", "pupil__last_name", "pk")
    )
    if last is not None:
        placements = placements.filter(start_date__lte=last)
    if first is not None:
        placements = placements.filter(
            Q(end_date__gte=first) | Q(end_date__isnull=True, planned_end_date__gte=first)
            | Q(end_date__isnull=True, planned_end_date__isnull=True)
        )  # fmt: skip
    return placements


def leaving_date(placement: Placement) -> datetime.date | None:
    return placement.end_date or placement.planned_end_date


def _identifier(placement: Placement, name: str) -> str:
    provider = placement.provision.provider
    if name == "urn":
        return provider.urn
    if name == "ukprn":
        return "" if provider.urn else provider.ukprn
    if provider.urn or provider.ukprn:
        return ""
    if name == "setting_type":
        return setting_code(census_setting(placement))
    return "" if provider.unnamed else provider.legal_name  # provider_name


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


# The census file's columns, in its order, then provider_name: read back by imports.rows_of.
CENSUS_COLUMNS = [
    Column("upn", lambda p: p.pupil.upn),
    Column("surname", lambda p: p.pupil.last_name),
    Column("forename", lambda p: p.pupil.first_name),
    Column("date_of_birth", lambda p: _date(p.pupil.date_of_birth)),
    Column("urn", lambda p: _identifier(p, "urn")),
    Column("ukprn", lambda p: _identifier(p, "ukprn")),
    Column("setting_type", lambda p: _identifier(p, "setting_type")),
    Column("reason", lambda p: reason_code(census_reason(p))),
    Column("entry_date", lambda p: _date(p.start_date)),
    Column("leaving_date", lambda p: _date(leaving_date(p))),
    Column("sessions_per_week", lambda p: p.sessions_per_week),
    Column("attendance_pattern", lambda p: FULL_TIME if p.is_full_time else PART_TIME),
    Column("hours_per_week", lambda p: p.hours_per_week),
    Column("weekly_cost", lambda p: weekly_cost_of(p.annual_cost), money=True),
    Column("provider_name", lambda p: _identifier(p, "provider_name")),
]
assert [column.heading for column in CENSUS_COLUMNS[: len(COLUMNS)]] == list(COLUMNS)
