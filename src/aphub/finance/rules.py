"""The outturn's arithmetic, pure functions of dates and Decimal pounds (docs/decisions/0028-budget-and-outturn.md).

- Money accrues by the day (funding.periods): a funding line's actuals to date are what its annual rate earned from
  its first day to today (`amount_between`), and its commitment the rest of the line. Because every cut is the
  difference of two `earned_by` values, actuals plus commitments are the line to the penny, the months of a year add
  up to it, and ending a placement early takes off exactly the days it no longer runs.
- Expected new placements (only for the current financial year, since a past year has no more starts and a future
  one no recent ones): the placements that started in the last RECENT_WEEKS weeks are taken to go on starting at the
  same rate. Each day left in the year sees 1/RECENT_DAYS of them start, at their LA-paid annual rate, each running
  for their average funded length (or to 31 March, whichever is first). On the k-th day from tomorrow, then,
  min(k, average length) days' worth of starts are running, and the year's expected cost is
  sum(rates) / RECENT_DAYS / days in year x sum over the days left of min(k, average length), rounded once.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from aphub.core.money import allocate, pro_rata, to_money
from aphub.funding.periods import (
    ONE_DAY,
    Period,
    amount_between,
    days_in_financial_year,
    financial_year_bounds,
    financial_year_of,
)

RECENT_WEEKS = 12
RECENT_DAYS = RECENT_WEEKS * 7
ZERO = Decimal("0.00")


def recent_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days whose starts set the rate of new placements: the last RECENT_WEEKS weeks, today included."""
    return today - datetime.timedelta(days=RECENT_DAYS - 1), today


def _split_at_today(
    between: Callable[[datetime.date, datetime.date], Decimal],
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    period: Period | None,
) -> tuple[Decimal, Decimal]:
    """(actuals to date, commitment after today) of the days start..end, or of their part inside `period`, each the
    amount `between` gives its days."""
    if period is not None:
        shared = period.overlap(start, end)
        if shared is None:
            return ZERO, ZERO
        start, end = shared
    actual = between(start, min(end, today)) if start <= today else ZERO
    commitment = between(max(start, today + ONE_DAY), end) if end > today else ZERO
    return actual, commitment


def cut_at(
    annual_rate: Decimal,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    period: Period | None = None,
) -> tuple[Decimal, Decimal]:
    """(actuals to date, commitment after today) of a line's days start..end inside one financial year, or of the
    part of them inside `period`: each is one `amount_between`, so the two add up to the days' amount exactly."""
    return _split_at_today(lambda a, b: amount_between(annual_rate, a, b), start, end, today, period)


class Spread(Protocol):
    """An amount paid evenly by the day over start..end (commissioned places' share of a year, over its months)."""

    @property
    def amount(self) -> Decimal: ...
    @property
    def start(self) -> datetime.date: ...
    @property
    def end(self) -> datetime.date: ...


def _spread_by(spread: Spread, day: datetime.date) -> Decimal:
    """What of the spread amount has been earned by the end of `day`, rounded once."""
    if day < spread.start:
        return ZERO
    return pro_rata(spread.amount, (min(day, spread.end) - spread.start).days + 1, (spread.end - spread.start).days + 1)


def cut_spread_at(spread: Spread, today: datetime.date, period: Period | None = None) -> tuple[Decimal, Decimal]:
    """(actuals to date, commitment after today) of a spread amount, or of its part inside `period`. Each part is the
    difference of two running totals, rounded once, so actuals and commitment add up to the amount and the months
    to the year."""

    def between(a: datetime.date, b: datetime.date) -> Decimal:
        return _spread_by(spread, b) - _spread_by(spread, a - ONE_DAY)

    return _split_at_today(between, spread.start, spread.end, today, period)


@dataclass(frozen=True)
class RecentStart:
    """A placement that started in the recent window, as the expected-starts rule reads it."""

    placement_id: int
    annual_rate: Decimal  # what the LA pays a year for it, in the budget line's kinds of money
    funded_days: int  # its funded length, first to last funded day


def _days_left(financial_year: int, today: datetime.date) -> tuple[datetime.date, int]:
    """The first day after today in the year, and how many days are left from it to 31 March."""
    first, last = financial_year_bounds(financial_year)
    tomorrow = max(first, today + ONE_DAY)
    return tomorrow, max((last - tomorrow).days + 1, 0)


def _expected_by(starts: Sequence[RecentStart], financial_year: int, today: datetime.date, day: datetime.date):
    """The expected new placements' cost from tomorrow to `day`, rounded once."""
    tomorrow, left = _days_left(financial_year, today)
    if not starts or financial_year != financial_year_of(today) or day < tomorrow or left == 0:
        return ZERO
    days = min((day - tomorrow).days + 1, left)
    length = Decimal(sum(start.funded_days for start in starts)) / len(starts)
    running = sum((min(Decimal(k), length) for k in range(1, days + 1)), Decimal(0))
    total_rate = sum((start.annual_rate for start in starts), Decimal(0))
    return to_money(total_rate * running / (RECENT_DAYS * days_in_financial_year(financial_year)))


def expected_in(
    starts: Sequence[RecentStart], financial_year: int, today: datetime.date, period: Period | None = None
) -> Decimal:
    """The expected new placements' cost in the year (or in `period` of it): a difference of running totals, so the
    months add up to the year."""
    first, last = financial_year_bounds(financial_year)
    start, end = (first, last) if period is None else (max(first, period.start), min(last, period.end))
    if end < start:
        return ZERO
    return _expected_by(starts, financial_year, today, end) - _expected_by(
        starts, financial_year, today, start - ONE_DAY
    )


def shares_of(amount: Decimal, starts: Sequence[RecentStart]) -> list[Decimal]:
    """`amount` split across the recent starts by their annual rates, adding up to it exactly (the drill-down)."""
    if not starts:
        return []
    weights = [start.annual_rate for start in starts]
    if sum(weights) == 0:
        weights = [Decimal(1)] * len(starts)
    return allocate(amount, weights)
