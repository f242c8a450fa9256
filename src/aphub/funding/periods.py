"""The arithmetic of funding: the period a placement is paid for, split at financial years, pro rata to the day.

Pure functions of dates and Decimal pounds, with no database, so property-based tests can try any dates.

- Councils account by financial year (1 April to 31 March), and the High Needs Block is allocated per financial
  year, so a line never crosses 1 April.
- A placement with neither an end date nor a planned end is funded to the end of the academic year it starts in
  (31 August): schools and LAs re-decide AP placements at least once a year, and an open-ended line would commit
  money nobody agreed to.
- Money accrues day by day along the financial year: what an annual rate has earned by a day is the rate times the
  days from 1 April to that day over the days of the year (365, or 366 when it holds 29 February), rounded once to
  the penny (`earned_by`). The amount for any days inside one year is what was earned by its last day less what was
  earned the day before its first (`amount_between`). So the parts of any period, cut anywhere (financial years,
  billing terms, months, today), add up to the whole to the penny, and what was earned before a day never changes
  when a later day changes: ending a placement early takes off exactly the amount of the days it no longer runs.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from aphub.core.money import pro_rata

# UK public-sector financial year: 1 April to 31 March, named by the year it starts in (2026 is 2026-27).
FINANCIAL_YEAR_FIRST_MONTH = 4
# The school (academic) year ends on 31 August.
ACADEMIC_YEAR_LAST_MONTH, ACADEMIC_YEAR_LAST_DAY = 8, 31
ONE_DAY = datetime.timedelta(days=1)


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


class _Days:
    """Days from `start` to `end`, both counted."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Slice(_Days):
    """The part of a funded period inside one financial year."""

    financial_year: int
    start: datetime.date
    end: datetime.date

    @property
    def days_in_year(self) -> int:
        return days_in_financial_year(self.financial_year)

    def amount(self, annual_rate: Decimal | int | str) -> Decimal:
        """This slice's share of an annual rate, to the penny."""
        return amount_between(annual_rate, self.start, self.end)


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


def earned_by(annual_rate: Decimal | int | str, day: datetime.date) -> Decimal:
    """What an annual rate has earned from 1 April of `day`'s financial year to `day`, inclusive, to the penny."""
    financial_year = financial_year_of(day)
    first, _ = financial_year_bounds(financial_year)
    return pro_rata(annual_rate, (day - first).days + 1, days_in_financial_year(financial_year))


def amount_between(annual_rate: Decimal | int | str, start: datetime.date, end: datetime.date) -> Decimal:
    """An annual rate's amount for the days start..end inclusive, inside one financial year: what it had earned by
    `end` less what it had earned by the day before `start` (nothing when `start` is 1 April)."""
    if end < start:
        raise ValueError(f"A funded period cannot end ({end:%d %B %Y}) before it starts ({start:%d %B %Y})")
    financial_year = financial_year_of(start)
    if financial_year_of(end) != financial_year:
        raise ValueError("An amount is worked out inside one financial year: split the period first")
    before = (
        Decimal("0.00")
        if start == financial_year_bounds(financial_year)[0]
        else earned_by(annual_rate, start - ONE_DAY)
    )
    return earned_by(annual_rate, end) - before


@dataclass(frozen=True)
class Period(_Days):
    """Days from `start` to `end` inclusive, named as people say them (a month, a billing term)."""

    name: str
    start: datetime.date
    end: datetime.date

    def overlap(self, start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date] | None:
        """The days of start..end inside this period, or None when they share none."""
        first, last = max(start, self.start), min(end, self.end)
        return (first, last) if first <= last else None


def _month_end(day: datetime.date) -> datetime.date:
    following = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - ONE_DAY


def months_of_financial_year(financial_year: int) -> list[Period]:
    """April to March, each month as a Period named 'April 2026'."""
    first, last = financial_year_bounds(financial_year)
    months = []
    cursor = first
    while cursor <= last:
        months.append(Period(name=f"{cursor:%B %Y}", start=cursor, end=_month_end(cursor)))
        cursor = _month_end(cursor) + ONE_DAY
    return months


# Billing terms, the periods a local authority bills schools and pays providers by. Each lies inside one financial
# year, so a term's amount is one amount_between: autumn (September to December) and spring (January to March) end
# the financial year's second half, summer (April to August) starts the next one. School terms proper move with
# Easter and differ by LA; a recharge needs fixed calendar periods that add up to the year.
BILLING_TERMS = (("Autumn", (9, 1), (12, 31)), ("Spring", (1, 1), (3, 31)), ("Summer", (4, 1), (8, 31)))


def billing_terms_of_academic_year(academic_year: int) -> list[Period]:
    """The three billing terms of the academic year starting in September of `academic_year`, in order:
    'Autumn 2026', 'Spring 2027', 'Summer 2027'."""
    terms = []
    for name, (start_month, start_day), (end_month, end_day) in BILLING_TERMS:
        year = academic_year if start_month >= 9 else academic_year + 1
        terms.append(
            Period(
                name=f"{name} {year}",
                start=datetime.date(year, start_month, start_day),
                end=datetime.date(year, end_month, end_day),
            )
        )
    return terms


def academic_year_of(day: datetime.date) -> int:
    """The academic year (September to August) `day` falls in, as the year it starts: 31 August 2027 is in 2026."""
    return day.year if day.month >= 9 else day.year - 1


def billing_term_of(day: datetime.date) -> Period:
    """The billing term `day` falls in."""
    return next(term for term in billing_terms_of_academic_year(academic_year_of(day)) if term.overlap(day, day))


def split_into(
    periods: list[Period], start: datetime.date, end: datetime.date
) -> list[tuple[Period, datetime.date, datetime.date]]:
    """The days start..end cut by `periods`: each period that shares days with them, with the shared first and last
    day, in the periods' order."""
    found = []
    for period in periods:
        shared = period.overlap(start, end)
        if shared is not None:
            found.append((period, *shared))
    return found
