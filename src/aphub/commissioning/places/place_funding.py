"""The arithmetic of place funding: pure functions of whole places and Decimal pounds, with no database, so
property-based tests can try any numbers.

Place funding is paid per commissioned place per academic year, whether a child fills the place or not (DfE, High
needs funding: operational guide, "place funding": £10,000 a pre-16 AP place). The ESFA pays it by academic year and
councils budget by financial year (1 April to 31 March), so the year's funding is split by months: seven twelfths
(September to March) fall in the financial year the academic year starts in, five twelfths (April to August) in the
next, as the DfE's own high needs place deductions and recoupment are split. The two parts are cut from the whole
with `core.money.allocate`, so they add up to it to the penny.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from aphub.core.money import allocate, to_money

# September to March, then April to August: the months of an academic year in each financial year.
MONTHS_BEFORE_APRIL, MONTHS_FROM_APRIL = 7, 5


def place_funding(places: int, rate_per_place: Decimal | int | str) -> Decimal:
    """A year's place funding: the places times the rate a place, to the penny (no rounding: the rate is in pence)."""
    if places < 0:
        raise ValueError("Places cannot be negative")
    return to_money(to_money(rate_per_place) * places)


@dataclass(frozen=True)
class FinancialYearShare:
    """The part of an academic year's place funding that falls in one financial year (named by the year it starts)."""

    financial_year: int
    twelfths: int
    amount: Decimal
    # The months it pays for, first and last day: September to March, or April to August.
    start: datetime.date
    end: datetime.date


def split_across_financial_years(academic_year: int, amount: Decimal) -> tuple[FinancialYearShare, FinancialYearShare]:
    """The academic year's place funding as 7/12 in the financial year starting in April of `academic_year` and 5/12
    in the next one, adding up to `amount` exactly."""
    before_april, from_april = allocate(amount, [MONTHS_BEFORE_APRIL, MONTHS_FROM_APRIL])
    return (
        FinancialYearShare(
            financial_year=academic_year,
            twelfths=MONTHS_BEFORE_APRIL,
            amount=before_april,
            start=datetime.date(academic_year, 9, 1),
            end=datetime.date(academic_year + 1, 3, 31),
        ),
        FinancialYearShare(
            financial_year=academic_year + 1,
            twelfths=MONTHS_FROM_APRIL,
            amount=from_april,
            start=datetime.date(academic_year + 1, 4, 1),
            end=datetime.date(academic_year + 1, 8, 31),
        ),
    )


def share_in_financial_year(academic_year: int, amount: Decimal, financial_year: int) -> Decimal:
    """What of an academic year's place funding falls in `financial_year`: one of its two parts, or nothing."""
    for share in split_across_financial_years(academic_year, amount):
        if share.financial_year == financial_year:
            return share.amount
    return Decimal("0.00")
