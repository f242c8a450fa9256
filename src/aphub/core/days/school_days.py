"""School days: the unit every statutory clock in AP is counted in (DESIGN.md section 3).

A school day is a weekday inside term time that is not a closure (INSET day, bank holiday). A calendar is built
once into a sorted tuple of day ordinals, so each question is a bisect: worklists ask it for every open clock.

Weekdays (Monday to Friday) are a coarser question that needs no calendar: a register or a placement start on a
Saturday is wrong whatever the LA's term dates say, and beyond the last term an LA has entered, weekdays stand in
for school days. The weekday functions below answer it; they never stand for a school day where a calendar exists.
"""

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Iterator

import holidays

Term = tuple[datetime.date, datetime.date]

ONE_DAY = datetime.timedelta(days=1)


def is_weekend(day: datetime.date) -> bool:
    """Saturday or Sunday: never a school day, whatever the term dates."""
    return day.weekday() >= 5


def weekdays_between(first: datetime.date, last: datetime.date) -> int:
    """Weekdays from `first` to `last`, counting both; 0 when `last` is before `first`."""
    if last < first:
        return 0
    whole_weeks, extra = divmod((last - first).days + 1, 7)
    # Any 7 days in a row hold 5 weekdays; only the days after the whole weeks need looking at.
    tail = first + datetime.timedelta(days=whole_weeks * 7)
    return whole_weeks * 5 + sum(not is_weekend(tail + datetime.timedelta(days=n)) for n in range(extra))


def previous_weekday(day: datetime.date) -> datetime.date:
    """The last weekday before `day` (Friday for a Saturday, Sunday or Monday)."""
    day -= ONE_DAY
    while is_weekend(day):
        day -= ONE_DAY
    return day


def next_weekday(day: datetime.date) -> datetime.date:
    """The first weekday after `day` (Monday for a Friday, Saturday or Sunday)."""
    day += ONE_DAY
    while is_weekend(day):
        day += ONE_DAY
    return day


def weekdays_back_from(last: datetime.date, first: datetime.date) -> Iterator[datetime.date]:
    """The weekdays from `last` back to `first`, newest first, both included when they are weekdays."""
    day = last if not is_weekend(last) else previous_weekday(last)
    while day >= first:
        yield day
        day = previous_weekday(day)


def england_bank_holidays(years: Iterable[int]) -> set[datetime.date]:
    """Bank holidays in England (with substitute days when one falls at a weekend)."""
    return set(holidays.country_holidays("GB", subdiv="ENG", years=list(years)).keys())


class SchoolCalendar:
    """Term time of one school or LA.

    `terms` are inclusive (first_day, last_day) pairs; half-terms and holidays are the gaps between them.
    `closures` are days inside term when the school is closed; days outside term are ignored. Weekends are
    never school days.
    """

    def __init__(self, terms: Iterable[Term], closures: Collection[datetime.date] = ()) -> None:
        self.terms: tuple[Term, ...] = tuple(sorted(terms))
        self.closures: frozenset[datetime.date] = frozenset(closures)
        closed = {day.toordinal() for day in self.closures}
        days: set[int] = set()
        for first, last in self.terms:
            if last < first:
                raise ValueError(f"A term cannot end ({last:%d %B %Y}) before it starts ({first:%d %B %Y})")
            for ordinal in range(first.toordinal(), last.toordinal() + 1):
                # date.fromordinal(n).weekday() is (n - 1) % 7; 5 and 6 are Saturday and Sunday.
                if (ordinal - 1) % 7 < 5 and ordinal not in closed:
                    days.add(ordinal)
        self._days: tuple[int, ...] = tuple(sorted(days))
        self._day_set: frozenset[int] = frozenset(days)

    @classmethod
    def for_england(cls, terms: Iterable[Term], inset_days: Collection[datetime.date] = ()) -> "SchoolCalendar":
        """A calendar whose closures are the INSET days plus England's bank holidays that fall in term."""
        terms = tuple(terms)
        years = {year for first, last in terms for year in range(first.year, last.year + 1)}
        return cls(terms, closures=set(inset_days) | england_bank_holidays(years))

    def __repr__(self) -> str:
        return f"SchoolCalendar({len(self.terms)} terms, {len(self._days)} school days)"

    def __len__(self) -> int:
        return len(self._days)

    @property
    def first_day(self) -> datetime.date | None:
        return datetime.date.fromordinal(self._days[0]) if self._days else None

    @property
    def last_day(self) -> datetime.date | None:
        return datetime.date.fromordinal(self._days[-1]) if self._days else None

    def is_school_day(self, day: datetime.date) -> bool:
        return day.toordinal() in self._day_set

    def next_school_day(self, day: datetime.date) -> datetime.date:
        """`day` itself when it is a school day, else the first school day after it."""
        return self.nth_school_day(day, 1)

    def nth_school_day(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th school day counting `start` as day 1 when it is a school day (else the next school day).

        Raises ValueError when the calendar has no n-th school day (its terms end first).
        """
        if n < 1:
            raise ValueError(f"Count school days from 1, not {n}")
        index = bisect_left(self._days, start.toordinal()) + n - 1
        if index >= len(self._days):
            raise ValueError(
                f"The school calendar ends before the {_ordinal(n)} school day from {start:%d %B %Y}; "
                "add the next term's dates"
            )
        return datetime.date.fromordinal(self._days[index])

    def school_day_back(self, on: datetime.date, back: int) -> datetime.date:
        """The school day `back` school days before `on`; 0 is `on` itself when it is a school day, else the last
        school day before it.

        Raises ValueError when the calendar has no school day that far back (its first term starts later).
        """
        if back < 0:
            raise ValueError(f"Count school days back from 0, not {back}")
        index = bisect_right(self._days, on.toordinal()) - 1 - back
        if index < 0:
            raise ValueError(f"The school calendar starts after {back} school days before {on:%d %B %Y}")
        return datetime.date.fromordinal(self._days[index])

    def school_days_between(self, first: datetime.date, last: datetime.date) -> int:
        """School days from `first` to `last`, counting both; 0 when `last` is before `first`."""
        if last < first:
            return 0
        return bisect_right(self._days, last.toordinal()) - bisect_left(self._days, first.toordinal())


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
