"""How full commissioned places are: pupils on roll each day of an academic year, at the school census days, on
average, and what the empty and the occupied place-days are worth. Pure functions of dates, counts and Decimal pounds,
with no database: the placements' periods on roll are handed in (queries.py reads them).

- A pupil is on roll at a provision each day from their placement's start to its last day, both counted: its end if
  it ended, else its planned end, else the end of the academic year it started in (the rule of funding lines,
  funding.periods.funding_period, so a place is full for the days it is paid for).
- Empty places on a day are the commissioned places less the pupils on roll, never below nought; pupils beyond the
  places are over-occupancy, shown apart, and never offset the empty places of another day or provision.
- A year's place funding is shared between the occupied and the empty place-days (a place on one day is one
  place-day): the cost of the empty places is the empty place-days times the rate over the days of the year, the
  value of the occupied places likewise. Both are cut from the year's funding with `core.money.allocate`, so they add
  up to it to the penny. (funding.periods accrues money along one financial year; an academic year spans two, so its
  place-days are shared out here instead, whole.)
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from aphub.core.days.census import third_thursday
from aphub.core.money import allocate
from aphub.funding.periods import ONE_DAY, funding_period

from .place_funding import place_funding


def academic_year_bounds(academic_year: int) -> tuple[datetime.date, datetime.date]:
    """1 September of `academic_year` to 31 August of the next, inclusive."""
    return datetime.date(academic_year, 9, 1), datetime.date(academic_year + 1, 8, 31)


def days_in_academic_year(academic_year: int) -> int:
    """365, or 366 when the year holds a 29 February."""
    first, last = academic_year_bounds(academic_year)
    return (last - first).days + 1


@dataclass(frozen=True)
class CensusDay:
    name: str
    day: datetime.date


def census_days(academic_year: int) -> list[CensusDay]:
    """The school census days of an academic year when a provision's numbers on roll are compared with its places.

    The DfE's school census guide sets the spring census day on the third Thursday of January and the summer census
    day on the third Thursday of May (2021 to 2022: 20 January and 19 May 2022, the censuses of seed 004 section 11).
    The autumn census (first Thursday of October) is left out: seed 004 and the LA's reports compare January and May.
    """
    year = academic_year + 1
    return [
        CensusDay(name=f"January {year} census", day=third_thursday(year, 1)),
        CensusDay(name=f"May {year} census", day=third_thursday(year, 5)),
    ]


@dataclass(frozen=True)
class PeriodOnRoll:
    """One placement's days at a provision, as the placements app hands them over."""

    start_date: datetime.date
    planned_end_date: datetime.date | None = None
    end_date: datetime.date | None = None

    def days(self) -> tuple[datetime.date, datetime.date]:
        """First and last day on roll, inclusive."""
        return funding_period(
            start_date=self.start_date, end_date=self.end_date, planned_end_date=self.planned_end_date
        )


def on_roll_each_day(periods: Iterable[PeriodOnRoll], first: datetime.date, last: datetime.date) -> list[int]:
    """Pupils on roll on each day from `first` to `last`, in order: each period adds one to the days it covers."""
    length = (last - first).days + 1
    changes = [0] * (length + 1)
    for period in periods:
        start, end = period.days()
        start, end = max(start, first), min(end, last)
        if start > end:
            continue
        changes[(start - first).days] += 1
        changes[(end - first).days + 1] -= 1
    counts, running = [], 0
    for change in changes[:length]:
        running += change
        counts.append(running)
    return counts


@dataclass(frozen=True)
class CensusCount:
    census: CensusDay
    on_roll: int
    places: int

    @property
    def empty(self) -> int:
        return max(self.places - self.on_roll, 0)

    @property
    def over(self) -> int:
        """Pupils on roll beyond the places commissioned."""
        return max(self.on_roll - self.places, 0)


@dataclass(frozen=True)
class YearOccupancy:
    """One provision's places over one academic year: at each census day and day by day."""

    academic_year: int
    places: int
    rate_per_place: Decimal
    at_census: list[CensusCount]
    days: int
    pupil_days: int  # the sum of pupils on roll over the days
    occupied_place_days: int  # pupils on roll each day up to the places, summed
    empty_place_days: int
    over_place_days: int  # pupils on roll beyond the places each day, summed
    value_of_occupied: Decimal
    cost_of_empty: Decimal

    @property
    def funding(self) -> Decimal:
        return place_funding(self.places, self.rate_per_place)

    @property
    def average_on_roll(self) -> Decimal:
        """Pupils on roll on an average day of the year, to one decimal place."""
        return (Decimal(self.pupil_days) / self.days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def average_empty(self) -> Decimal:
        return (Decimal(self.empty_place_days) / self.days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def occupancy_percent(self) -> Decimal | None:
        """The occupied place-days as a share of all the place-days, as a whole percent; None with no places."""
        if not self.places:
            return None
        share = Decimal(100 * self.occupied_place_days) / (self.places * self.days)
        return share.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def occupancy_of_year(
    *, academic_year: int, places: int, rate_per_place: Decimal, periods: Iterable[PeriodOnRoll]
) -> YearOccupancy:
    """A provision's occupancy for the academic year, from the periods its pupils were (or will be) on roll."""
    first, last = academic_year_bounds(academic_year)
    counts = on_roll_each_day(periods, first, last)
    occupied = sum(min(count, places) for count in counts)
    over = sum(max(count - places, 0) for count in counts)
    empty = places * len(counts) - occupied
    funding = place_funding(places, rate_per_place)
    if occupied + empty:
        value_of_occupied, cost_of_empty = allocate(funding, [occupied, empty])
    else:  # no places: nothing is paid, nothing is empty
        value_of_occupied = cost_of_empty = Decimal("0.00")
    at_census = [
        CensusCount(census=census, on_roll=counts[(census.day - first).days], places=places)
        for census in census_days(academic_year)
    ]
    return YearOccupancy(
        academic_year=academic_year,
        places=places,
        rate_per_place=rate_per_place,
        at_census=at_census,
        days=len(counts),
        pupil_days=sum(counts),
        occupied_place_days=occupied,
        empty_place_days=empty,
        over_place_days=over,
        value_of_occupied=value_of_occupied,
        cost_of_empty=cost_of_empty,
    )


def on_roll_on(periods: Iterable[PeriodOnRoll], day: datetime.date) -> int:
    """Pupils on roll on one day."""
    return on_roll_each_day(periods, day, day + ONE_DAY)[0]
