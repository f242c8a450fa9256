"""The arithmetic of funding: the period a placement is paid for, split at financial years, pro rata to the day.

Pure functions of dates and Decimal pounds, with no database, so property-based tests can try any dates.

- Councils account by financial year (1 April to 31 March), and the High Needs Block is allocated per financial
  year, so a line never crosses 1 April.
- A placement with neither an end date nor a planned end is funded to the end of the academic year it starts in
  (31 August): schools and LAs re-decide AP placements at least once a year, and an open-ended line would commit
  money nobody agreed to.
- Each slice is the annual rate times the calendar days of the slice over the days of that financial year (365,
  or 366 when it holds 29 February), rounded once to the penny (aphub.core.money.pro_rata).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from aphub.core.money import pro_rata

# UK public-sector financial year: 1 April to 31 March, named by the year it starts in (2026 is 2026-27).
FINANCIAL_YEAR_FIRST_MONTH = 4
# The school (academic) year ends on 31 August.
ACADEMIC_YEAR_LAST_MONTH, ACADEMIC_YEAR_LAST_DAY = 8, 31


def financial_year_of(day: datetime.date) -> int:
    """The financial year `day` falls in, as the year it starts: 31 March 2027 is in 2026, 1 April 2027 in 2027."""
    return day.year if day.month >= FINANCIAL_YEAR_FIRST_MONTH else day.year - 1


def financial_year_bounds(financial_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a financial year, inclusive."""
    return (
        datetime.date(financial_year, FINANCIAL_YEAR_FIRST_MONTH, 1),
        datetime.date(financial_year + 1, FINANCIAL_YEAR_FIRST_MONTH, 1) - datetime.timedelta(days=1),
    )


def days_in_financial_year(financial_year: int) -> int:
    """365, or 366 when the financial year holds a 29 February (that of the calendar year it ends in)."""
    first, last = financial_year_bounds(financial_year)
    return (last - first).days + 1


def financial_year_label(financial_year: int) -> str:
    """'2026-27', as councils write it in budgets and returns."""
    return f"{financial_year}-{(financial_year + 1) % 100:02d}"


def academic_year_end(day: datetime.date) -> datetime.date:
    """31 August of the academic year (September to August) that `day` falls in."""
    year = day.year + 1 if day.month > ACADEMIC_YEAR_LAST_MONTH else day.year
    return datetime.date(year, ACADEMIC_YEAR_LAST_MONTH, ACADEMIC_YEAR_LAST_DAY)


def funding_period(
    *,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    planned_end_date: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """First and last funded day, inclusive: to the actual end if the placement ended (early or not), else the
    planned end, else the end of the academic year it starts in."""
    last = end_date or planned_end_date or academic_year_end(start_date)
    if last < start_date:
        raise ValueError(f"A funded period cannot end ({last:%d %B %Y}) before it starts ({start_date:%d %B %Y})")
    return start_date, last


@dataclass(frozen=True)
class Slice:
    """The part of a funded period inside one financial year."""

    financial_year: int
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def days_in_year(self) -> int:
        return days_in_financial_year(self.financial_year)

    def amount(self, annual_rate: Decimal | int | str) -> Decimal:
        """This slice's share of an annual rate, to the penny."""
        return pro_rata(annual_rate, self.days, self.days_in_year)


def split_by_financial_year(start: datetime.date, end: datetime.date) -> list[Slice]:
    """The inclusive period start..end cut at every 1 April inside it; the slices cover it exactly, in order."""
    if end < start:
        raise ValueError(f"A funded period cannot end ({end:%d %B %Y}) before it starts ({start:%d %B %Y})")
    slices = []
    cursor = start
    while cursor <= end:
        financial_year = financial_year_of(cursor)
        _, year_end = financial_year_bounds(financial_year)
        slice_end = min(end, year_end)
        slices.append(Slice(financial_year=financial_year, start=cursor, end=slice_end))
        cursor = slice_end + datetime.timedelta(days=1)
    return slices
