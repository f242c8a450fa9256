"""School days: the unit every statutory clock in AP is counted in (DESIGN.md section 3).

A school day is a weekday inside term time that is not a closure (INSET day, bank holiday). A calendar is built
once into a sorted tuple of day ordinals, so each question is a bisect: worklists ask it for every open clock.
"""

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable

import holidays

Term = tuple[datetime.date, datetime.date]


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

    def school_days_between(self, first: datetime.date, last: datetime.date) -> int:
        """School days from `first` to `last`, counting both; 0 when `last` is before `first`."""
        if last < first:
            return 0
        return bisect_right(self._days, last.toordinal()) - bisect_left(self._days, first.toordinal())


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
