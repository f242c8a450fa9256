"""The arithmetic of a recharge statement: pure functions of funding lines, billing terms and what was billed.

Money accrues by the day (funding.periods), so a funding line cut at billing terms gives parts that add up to the
line to the penny, and a placement that ends early owes, for a term already billed, exactly the amount of the days
it no longer runs less. A statement bills its own term's charges and, for each term billed before, the difference
between what is owed now and what was billed: negative (a credit) when a placement ended early or was cancelled.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from aphub.funding.periods import Period, amount_between, billing_terms_of_academic_year, split_into

ZERO = Decimal("0.00")


class Line(Protocol):
    """What billing reads of a funding line (funding.models.FundingLine has it)."""

    placement_id: int
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    annual_rate: Decimal


# (placement id, kind of money, first day of the billing term): what a school is billed for, once per term.
Key = tuple[int, str, datetime.date]


@dataclass(frozen=True)
class Owed:
    """A placement's money of one kind in one billing term: its days and amount."""

    placement_id: int
    kind: str
    term: Period
    days: int
    amount: Decimal

    @property
    def key(self) -> Key:
        return (self.placement_id, self.kind, self.term.start)


def billing_terms_between(start: datetime.date, end: datetime.date) -> list[Period]:
    """Every billing term that shares a day with start..end, in order."""
    first_year = start.year if start.month >= 9 else start.year - 1
    last_year = end.year if end.month >= 9 else end.year - 1
    terms = [term for year in range(first_year, last_year + 1) for term in billing_terms_of_academic_year(year)]
    return [term for term in terms if term.overlap(start, end)]


def owed_by_term(lines: Iterable[Line], terms: list[Period]) -> dict[Key, Owed]:
    """What the lines come to in each of `terms`, per placement and kind. A line (inside one financial year) cut by
    terms (none crosses 1 April) gives parts that add up to the line's own amount exactly."""
    owed: dict[Key, Owed] = {}
    for line in lines:
        for term, first, last in split_into(terms, line.period_start, line.period_end):
            part = Owed(
                placement_id=line.placement_id,
                kind=line.kind,
                term=term,
                days=(last - first).days + 1,
                amount=amount_between(line.annual_rate, first, last),
            )
            found = owed.get(part.key)
            if found is not None:
                part = Owed(part.placement_id, part.kind, term, found.days + part.days, found.amount + part.amount)
            owed[part.key] = part
    return owed


@dataclass(frozen=True)
class Billed:
    """What earlier statements billed for one placement's money of one kind in one term (charges and adjustments)."""

    term: Period
    days: int
    amount: Decimal


@dataclass(frozen=True)
class Due:
    """A line a statement bills: a charge for its own term, or an adjustment (negative: a credit) to an earlier one."""

    placement_id: int
    kind: str
    term: Period
    days: int
    amount: Decimal
    is_adjustment: bool


def statement_lines(*, term: Period, owed: dict[Key, Owed], billed: dict[Key, Billed]) -> list[Due]:
    """A statement's lines for `term`: each placement's charge for the term, then, for every earlier term already
    billed, what is owed now less what was billed, where they differ.

    `owed` is what the school's funding lines come to now, by term; `billed` what its statements issued for earlier
    terms billed, by term. A term not billed before is not adjusted: it is billed by its own statement.
    """
    charges = [
        Due(o.placement_id, o.kind, o.term, o.days, o.amount, is_adjustment=False)
        for key, o in owed.items()
        if o.term.start == term.start and o.amount
    ]
    adjustments = []
    for key, was in billed.items():
        if was.term.start >= term.start:
            continue  # not an earlier term: this statement bills it as a charge
        now = owed.get(key)
        now_days, now_amount = (now.days, now.amount) if now is not None else (0, ZERO)
        if now_amount != was.amount or now_days != was.days:
            placement_id, kind, _ = key
            adjustments.append(Due(placement_id, kind, was.term, now_days - was.days, now_amount - was.amount, True))
    return charges + adjustments
