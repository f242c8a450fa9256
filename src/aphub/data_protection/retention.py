"""The retention schedule, the sweep that finds what is past it, and the LA admin's approval that erases it.

UK GDPR Article 5(1)(e): personal data is kept no longer than necessary. Each record type has a period, a default
from the guidance councils and schools follow (the IRMS Information Management Toolkits for Schools and for Local
Authorities), which the LA may change (its retention schedule is its own decision, recorded in RetentionPeriod).
Nothing is erased without an LA admin's approval, and the approval erases exactly the records the admin was shown.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import QuerySet

from aphub.audit.services import log_access, log_access_many
from aphub.core.clock import now, today
from aphub.core.errors import DomainError, Problems
from aphub.core.forms.validators import Limit, check_limit, whole_number
from aphub.core.permissions import require
from aphub.duties.models import Notification
from aphub.organisations.models import Role
from aphub.organisations.queries import membership_of
from aphub.placements.models import Episode, Placement
from aphub.pupils.models import Pupil

from . import erasure
from .models import RetentionPeriod

MAX_YEARS = 100


def years_limit(record: "RecordType") -> Limit[int]:
    """The years to keep a record type, written once: the schedule's form runs it and set_retention_period asks it
    again of what it is given."""
    message = f"Enter the years to keep {record.in_words}, a whole number from 1 to {MAX_YEARS}"
    return partial(whole_number, low=1, high=MAX_YEARS, message=message)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February becomes the 28th in a year without one."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _children_due(local_authority_id: int, years: int, day: datetime.date) -> QuerySet[Pupil]:
    """Children of the LA who reached the end of the period (their birthday `years` after birth) by `day`, with
    nothing still open: no open episode, no placement offered, accepted or active. A record still in use is not
    due, however old the child."""
    still_open = Episode.objects.filter(status=Episode.Status.OPEN).values("pupil_id")
    held = Placement.objects.filter(status__in=Placement.HOLDING_STATES).values("pupil_id")
    return (
        Pupil.objects.filter(
            local_authority_id=local_authority_id,
            erased_at__isnull=True,
            date_of_birth__lte=years_before(day, years),
        )
        .exclude(pk__in=still_open)
        .exclude(pk__in=held)
        .order_by("date_of_birth", "pk")
    )


def _erase_children(user, pupils: list) -> int:
    files = erasure.erase_pupils([pupil.pk for pupil in pupils], at=now())
    erasure.delete_files_after_commit(files)
    # The fact of each erasure, by whom and when; never the values (the record now reads "Erased record").
    log_access_many(user=user, objs=pupils, verb="erase")
    return len(pupils)


def _notifications_due(local_authority_id: int, years: int, day: datetime.date) -> QuerySet[Notification]:
    start = datetime.datetime.combine(years_before(day, years), datetime.time.min, tzinfo=datetime.UTC)
    return Notification.objects.filter(pupil__local_authority_id=local_authority_id, created_at__lt=start).order_by(
        "created_at", "pk"
    )


def _erase_notifications(user, notifications: list) -> int:
    log_access_many(user=user, objs=notifications, verb="erase")
    Notification.objects.filter(pk__in=[row.pk for row in notifications]).delete()
    return len(notifications)


@dataclass(frozen=True)
class RecordType:
    key: str
    name: str  # as a heading: "Children's AP records"
    one: str  # one of them, in a sentence: "child's AP record"
    what: str  # what the record holds, for the schedule page
    basis: str  # "{years} years after ..." completes the sentence
    default_years: int
    source: str  # where the default comes from
    due: Callable[[int, int, datetime.date], QuerySet]
    erase: Callable[[object, list], int]  # given the rows, locked
    erased: str  # what erasure does, for the confirmation page

    @property
    def in_words(self) -> str:
        """The name in a sentence: "children's AP records"."""
        return self.name[0].lower() + self.name[1:]

    def counted(self, number: int) -> str:
        """ "1 child's AP record", "2 children's AP records"."""
        return f"{number} {self.one if number == 1 else self.in_words}"


RECORD_TYPES: dict[str, RecordType] = {
    record.key: record
    for record in (
        RecordType(
            key="child-ap-record",
            name="Children's AP records",
            one="child's AP record",
            what="The child, their referrals, placements, registers, reviews, outcomes, documents and funding lines",
            basis="the child's date of birth",
            default_years=25,
            source=(
                "IRMS Information Management Toolkit for Schools: a pupil's educational record is kept until their "
                "date of birth plus 25 years"
            ),
            due=_children_due,
            erase=_erase_children,
            erased=(
                "Names, UPN, ULN, free text, notes and documents are erased; the date of birth is kept only as the "
                "school year, the postcode only as its district. Dates, tiers, codes, money and scores stay, so "
                "dashboards and reports count the same."
            ),
        ),
        RecordType(
            key="notification",
            name="Notifications naming a child",
            one="notification naming a child",
            what="The messages AP Hub showed staff about a child (a new referral, a missed duty, an absence)",
            basis="the day the notification was sent",
            default_years=2,
            source="AP Hub's default: a notification is a prompt, not a record; the records it pointed to stay",
            due=_notifications_due,
            erase=_erase_notifications,
            erased="The notifications are deleted.",
        ),
    )
}


@dataclass(frozen=True)
class ScheduleLine:
    record: RecordType
    years: int
    changed: bool  # the LA changed the default


def schedule_for(local_authority_id: int) -> list[ScheduleLine]:
    chosen = dict(
        RetentionPeriod.objects.filter(local_authority_id=local_authority_id).values_list("record_type", "years")
    )
    return [
        ScheduleLine(record, chosen.get(key, record.default_years), key in chosen)
        for key, record in RECORD_TYPES.items()
    ]


def years_for(local_authority_id: int, key: str) -> int:
    return next(line.years for line in schedule_for(local_authority_id) if line.record.key == key)


def record_type(key: str) -> RecordType:
    if key not in RECORD_TYPES:
        raise DomainError("There is no such kind of record in the retention schedule")
    return RECORD_TYPES[key]


def due(local_authority_id: int, key: str, day: datetime.date | None = None) -> QuerySet:
    """The sweep: the LA's records of this type past their retention period on `day` (today)."""
    return record_type(key).due(local_authority_id, years_for(local_authority_id, key), day or today())


def _admin_la(user) -> int:
    membership = membership_of(user)
    require(
        membership is not None and membership.role == Role.LA_ADMIN and membership.local_authority_id is not None,
        "Only an LA admin can change the retention schedule or approve an erasure",
    )
    assert membership is not None and membership.local_authority_id is not None
    return membership.local_authority_id


@transaction.atomic
def approve_erasure(*, user, key: str, as_of: datetime.date, expected: int) -> int:
    """An LA admin approves the erasure of the records they were shown: those of this type due on `as_of`, which
    they were told numbered `expected`. If the list has changed since (a record reopened, another admin erased
    them), nothing is erased and they are asked to look again."""
    local_authority_id = _admin_la(user)
    record = record_type(key)
    if as_of > today():
        raise DomainError("The list was checked on a day that has not come yet: check the list again")
    rows = record.due(local_authority_id, years_for(local_authority_id, key), as_of)
    # Locked first, then counted: a second admin approving the same list at the same moment waits here, then finds
    # the records already erased (no longer due) and is told the list has changed.
    locked = list(rows.select_for_update(of=("self",)).only("pk"))
    found = len(locked)
    if found != expected:
        raise DomainError(
            f"The list has changed since you checked it: {found} records are due now, not {expected}. "
            "Check the list again before you approve."
        )
    if not found:
        raise DomainError("There is nothing to erase")
    return record.erase(user, locked)


@transaction.atomic
def set_retention_schedule(*, user, years: dict[str, object]) -> list[RetentionPeriod]:
    """The LA admin sets the years each record type is kept (the keys of `years`); every number is checked before
    any is saved, and each one changed is logged."""
    local_authority_id = _admin_la(user)
    problems = Problems()
    checked: dict[str, int] = {}
    for key, value in years.items():
        with problems.check():
            checked[key] = check_limit(years_limit(record_type(key)), value, field=key)
    problems.raise_any()
    current = {line.record.key: line.years for line in schedule_for(local_authority_id)}
    changed = []
    for key, number in checked.items():
        if number == current[key]:
            continue
        period, _ = RetentionPeriod.objects.update_or_create(
            local_authority_id=local_authority_id,
            record_type=key,
            defaults={"years": number, "changed_by": user, "changed_at": now()},
        )
        log_access(user=user, obj=period, verb="change")
        changed.append(period)
    return changed
