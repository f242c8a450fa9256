"""School calendars built from the TermDates and Closure rows, plus England's bank holidays.

Which calendar applies (DESIGN.md section 3, stored per LA with per-school overrides):
- a school with terms of its own (academies often differ) uses only its own terms, and its own closures;
- any other school, and the LA itself, uses the LA's terms and closures; a school without its own terms may still
  have closures of its own (a school-specific INSET day), which are added to the LA's.

Caching (docs/decisions/0008): building a calendar (bank holidays, a set of day ordinals) costs far more than
reading its few dozen rows, so built calendars are memoised for the whole process *by their content*: a change of
term dates changes the key, and no stale calendar can be served in any process, test or worker. Reading the rows
costs two small indexed queries per `calendar_for` call; pages and sweeps that need many calendars use a
`CalendarBook`, which reads every calendar of the LAs it is given in two queries and keeps them for that pass.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Q

from aphub.core.days.dates import long_date
from aphub.core.days.school_days import SchoolCalendar
from aphub.core.errors import DomainError
from aphub.organisations.models import LocalAuthority, School

from .models import Closure, TermDates

Term = tuple[datetime.date, datetime.date]


class NoTermDates(DomainError):
    """The calendar that applies has no term dates for the day a clock needs."""


@lru_cache(maxsize=512)
def _built(terms: tuple[Term, ...], closures: frozenset[datetime.date]) -> SchoolCalendar:
    return SchoolCalendar.for_england(terms, inset_days=closures)


def build_calendar(terms: Iterable[Term], closures: Iterable[datetime.date]) -> SchoolCalendar:
    """A calendar of these terms and closures plus England's bank holidays, shared by every caller with the same."""
    return _built(tuple(sorted(set(terms))), frozenset(closures))


def _choose(
    *,
    la_terms: list[Term],
    la_closures: list[datetime.date],
    school_terms: list[Term],
    school_closures: list[datetime.date],
) -> SchoolCalendar:
    if school_terms:
        return build_calendar(school_terms, school_closures)
    return build_calendar(la_terms, [*la_closures, *school_closures])


def calendar_for(
    *, local_authority: LocalAuthority, school: School | None = None, covering: datetime.date | None = None
) -> SchoolCalendar:
    """The calendar of `school` when it has its own terms, else the LA's (with the school's own closures).

    With `covering`, raises NoTermDates (a DomainError) unless the calendar has a term that starts on or before that
    day and school days after it: counting from a day the calendar does not know would give a wrong due date.
    """
    school_id = school.pk if school is not None else None
    wanted = Q(local_authority_id=local_authority.pk, school__isnull=True)
    if school_id is not None:
        wanted |= Q(school_id=school_id)
    la_terms: list[Term] = []
    school_terms: list[Term] = []
    for row_school, first, last in TermDates.objects.filter(wanted).values_list("school_id", "first_day", "last_day"):
        (school_terms if row_school is not None else la_terms).append((first, last))
    la_closures: list[datetime.date] = []
    school_closures: list[datetime.date] = []
    for row_school, day in Closure.objects.filter(wanted).values_list("school_id", "date"):
        (school_closures if row_school is not None else la_closures).append(day)
    calendar = _choose(
        la_terms=la_terms, la_closures=la_closures, school_terms=school_terms, school_closures=school_closures
    )
    if covering is not None:
        require_covers(
            calendar,
            covering,
            whose=school.name if school is not None and school_terms else local_authority.name,
            own=school is not None and bool(school_terms),
        )
    return calendar


def covers(calendar: SchoolCalendar, day: datetime.date) -> bool:
    """True when the calendar's terms start on or before `day` and it has a school day on or after it."""
    return bool(calendar.terms) and calendar.terms[0][0] <= day and (calendar.last_day or day) >= day


def require_covers(calendar: SchoolCalendar, day: datetime.date, *, whose: str, own: bool = False) -> None:
    if covers(calendar, day):
        return
    dates = f"{whose}'s own term dates" if own else f"The term dates of {whose}"
    raise NoTermDates(
        f"{dates} do not cover {long_date(day)}. An LA admin can add the term on the School calendar page; "
        "until then the statutory clock cannot be counted.",
        field="start_date",
    )


def not_covered_error(*, day: datetime.date, whose: str) -> NoTermDates:
    """The error for a due date past the calendar's last term."""
    return NoTermDates(
        f"The term dates of {whose} end before the clock starting {long_date(day)} is due. An LA admin can add the "
        "next term on the School calendar page.",
        field="start_date",
    )


class CalendarBook:
    """Every calendar of some LAs, read in two queries, for one pass (a page, a sweep, a recount).

    `for_school(local_authority_id, school_id)` then answers from memory. Keep a book no longer than the pass: it
    does not see term dates changed after it was read.
    """

    def __init__(
        self,
        local_authority_ids: Iterable[int],
        school_ids: Iterable[int | None] = (),
        *,
        without_terms: Iterable[int] = (),
        without_closures: Iterable[int] = (),
    ) -> None:
        """`without_terms` and `without_closures` (ids) read the calendars as they would be once those are deleted."""
        la_ids = set(local_authority_ids)
        school_ids = {pk for pk in school_ids if pk is not None}
        wanted = Q(local_authority_id__in=la_ids, school__isnull=True) | Q(school_id__in=school_ids)
        self._la_terms: dict[int, list[Term]] = defaultdict(list)
        self._school_terms: dict[int, list[Term]] = defaultdict(list)
        self._la_closures: dict[int, list[datetime.date]] = defaultdict(list)
        self._school_closures: dict[int, list[datetime.date]] = defaultdict(list)
        terms = TermDates.objects.filter(wanted).exclude(pk__in=list(without_terms))
        fields = ("local_authority_id", "school_id", "first_day", "last_day")
        for la_id, school_id, first, last in terms.values_list(*fields):
            if school_id is None:
                self._la_terms[la_id].append((first, last))
            else:
                self._school_terms[school_id].append((first, last))
        closures = Closure.objects.filter(wanted).exclude(pk__in=list(without_closures))
        for la_id, school_id, day in closures.values_list("local_authority_id", "school_id", "date"):
            if school_id is None:
                self._la_closures[la_id].append(day)
            else:
                self._school_closures[school_id].append(day)
        self._memo: dict[tuple[int, int | None], SchoolCalendar] = {}

    def for_school(self, local_authority_id: int, school_id: int | None = None) -> SchoolCalendar:
        key = (local_authority_id, school_id)
        if key not in self._memo:
            self._memo[key] = _choose(
                la_terms=self._la_terms.get(local_authority_id, []),
                la_closures=self._la_closures.get(local_authority_id, []),
                school_terms=self._school_terms.get(school_id, []) if school_id else [],
                school_closures=self._school_closures.get(school_id, []) if school_id else [],
            )
        return self._memo[key]
