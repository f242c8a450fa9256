"""Rules of law and common sense for recording an episode (why a child needs AP), written once: the episode page,
its correction page and the API all ask `episode_problems`, which returns every rule broken, so a form shows them
all at once in its error summary and the API answers 400 with each sentence.

The statutory clocks an episode starts are the duties app's (aphub.duties.rules); these rules decide whether the
episode may be recorded at all. A suspension is given by its first and last day: its length in school days is
counted from the school calendar (weekends, holidays and INSET days are not school days), never typed.
"""

import datetime
from dataclasses import dataclass

from aphub.core.days.dates import long_date
from aphub.core.days.school_days import SchoolCalendar
from aphub.core.errors import DomainError
from aphub.duties.calendars import covers

from .models import EpisodeKind

EXCLUSIONS = frozenset({EpisodeKind.PERMANENT_EXCLUSION, EpisodeKind.SUSPENSION})

# Statutory guidance 'Suspension and permanent exclusion' (DfE, August 2024) and the School Discipline (Pupil
# Exclusions and Reviews) (England) Regulations 2012: the school (or the LA, for a permanent exclusion) must arrange
# suitable full-time education from the 6th consecutive school day, so a suspension of 5 school days or fewer starts
# no duty of AP (the school sets and marks work for the first five days).
SUSPENSION_MIN_SCHOOL_DAYS = 6
# The same regulations: a pupil may be suspended for no more than 45 school days in a school year.
SUSPENSION_MAX_SCHOOL_DAYS = 45
# Education Act 1996 s.19 and 'Arranging education for children who cannot attend school because of health needs'
# (DfE, December 2023): the LA acts once it is clear a child will miss 15 or more school days through ill health,
# consecutive or cumulative; a health episode with no day missed is not one yet.
HEALTH_NEEDS_TRIGGER_SCHOOL_DAYS = 15
HEALTH_NEEDS_MAX_DAYS_MISSED = 400  # more than two school years: a typing error
# Other needs may be recorded a little ahead (a child arriving in the area, a planned course): at most this far.
PLANNED_AHEAD_DAYS = 90


@dataclass(frozen=True)
class EpisodeDetails:
    """What an officer or a school says about an episode, parsed but not yet judged."""

    kind: str
    start_date: datetime.date | None
    suspension_last_day: datetime.date | None = None
    days_missed: int | None = None


def episode_problems(
    details: EpisodeDetails,
    *,
    date_of_birth: datetime.date,
    today: datetime.date,
    calendar: SchoolCalendar | None = None,
    open_permanent_exclusion_since: datetime.date | None = None,
) -> list[DomainError]:
    """Every rule the episode breaks, in the order of the form's fields; empty when it may be recorded.

    `calendar` is the school calendar a suspension is counted in (its school's, else the LA's: the one its clocks are
    counted in); `open_permanent_exclusion_since` is the start of the child's other open permanent exclusion, if any.
    """
    problems: list[DomainError] = []
    kind, start = details.kind, details.start_date
    if kind not in EpisodeKind.values:
        problems.append(DomainError("Choose why the child needs alternative provision", field="kind"))
    elif kind == EpisodeKind.PERMANENT_EXCLUSION and open_permanent_exclusion_since is not None:
        # A permanent exclusion is final (the child is off the school's roll once it is upheld), so a child has at
        # most one open at a time; a second is a duplicate or a new school's, recorded once the first is closed.
        problems.append(
            DomainError(
                "This child already has an open permanent exclusion, from "
                f"{long_date(open_permanent_exclusion_since)}. Close or withdraw it before recording another",
                field="kind",
            )
        )
    if not isinstance(start, datetime.date):
        problems.append(DomainError("Enter the date it started", field="start_date"))
    elif kind in EXCLUSIONS and start > today:
        # An exclusion is recorded once the head teacher has excluded: its first day is today or before
        # ('Suspension and permanent exclusion' 2024: the decision is notified without delay, never in advance).
        what = "permanent exclusion" if kind == EpisodeKind.PERMANENT_EXCLUSION else "suspension"
        problems.append(
            DomainError(
                f"The first day of the {what} must be today or in the past, not {long_date(start)}",
                field="start_date",
            )
        )
    elif start > today + datetime.timedelta(days=PLANNED_AHEAD_DAYS):
        problems.append(
            DomainError(f"The start date must be within the next {PLANNED_AHEAD_DAYS} days", field="start_date")
        )
    elif start < date_of_birth:
        problems.append(DomainError("The start date cannot be before the pupil was born", field="start_date"))
    if kind == EpisodeKind.SUSPENSION:
        problems += _suspension_problems(start, details.suspension_last_day, calendar)
    if kind == EpisodeKind.HEALTH_NEEDS:
        problems += _health_needs_problems(details.days_missed)
    return problems


def suspension_school_days(first: datetime.date, last: datetime.date, calendar: SchoolCalendar) -> int:
    """The school days of a suspension from its first to its last day, both counted ('Suspension and permanent
    exclusion' 2024: a suspension is for a number of school days; weekends and holidays do not count)."""
    return calendar.school_days_between(first, last)


def _suspension_problems(
    first: datetime.date | None, last: datetime.date | None, calendar: SchoolCalendar | None
) -> list[DomainError]:
    field = "suspension_last_day"
    if not isinstance(last, datetime.date):
        return [DomainError("Enter the last day of the suspension", field=field)]
    if not isinstance(first, datetime.date):
        return []  # nothing to count from: the start date's own message says so
    if last < first:
        return [
            DomainError(
                f"The last day of the suspension must be the same as or after its first day, {long_date(first)}",
                field=field,
            )
        ]
    if calendar is None:
        raise ValueError("A suspension is counted in a school calendar: pass the calendar that applies")
    for day in (first, last):
        if not covers(calendar, day):
            # Counting past the known terms would give too few school days, and so a wrong duty.
            return [
                DomainError(
                    f"The school calendar does not cover {long_date(day)}, so the school days of the suspension "
                    "cannot be counted. An LA admin can add the term on the School calendar page",
                    field=field,
                )
            ]
    school_days = suspension_school_days(first, last, calendar)
    between = f"{long_date(first)} to {long_date(last)}"
    if school_days == 0:
        return [
            DomainError(
                f"There is no school day from {between} (weekends, holidays and INSET days are not school days). "
                "Check the first and last day of the suspension",
                field=field,
            )
        ]
    if school_days < SUSPENSION_MIN_SCHOOL_DAYS:
        return [
            DomainError(
                f"From {between} is {school_days} school day{'s' if school_days != 1 else ''}: a suspension of 5 "
                "school days or fewer is not a suspension of more than 5 days, as the school arranges full-time "
                "education from the 6th school day only. Check the last day of the suspension",
                field=field,
            )
        ]
    if school_days > SUSPENSION_MAX_SCHOOL_DAYS:
        return [
            DomainError(
                f"From {between} is {school_days} school days: a pupil cannot be suspended for more than "
                f"{SUSPENSION_MAX_SCHOOL_DAYS} school days in a school year",
                field=field,
            )
        ]
    return []


def _health_needs_problems(days_missed: int | None) -> list[DomainError]:
    field = "days_missed"
    if not days_missed or days_missed < 1:
        return [
            DomainError(
                "Enter the school days missed through ill health so far, 1 or more (the LA arranges education once "
                f"a child will miss {HEALTH_NEEDS_TRIGGER_SCHOOL_DAYS} or more school days)",
                field=field,
            )
        ]
    if days_missed > HEALTH_NEEDS_MAX_DAYS_MISSED:
        return [
            DomainError(
                f"Enter the school days missed as a whole number from 1 to {HEALTH_NEEDS_MAX_DAYS_MISSED}", field=field
            )
        ]
    return []
