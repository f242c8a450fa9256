"""Reads of the budget and the outturn, always from the user's own rows (`visible_to`): the LA's staff and finance
officers see their LA's budget and the LA-paid funding lines behind it.

Only what the LA pays (FundingLine payer LA) is High Needs Block spend: a school's top-up is the school's money.
The LA's commissioned places (commissioning.places, payer LA: its PRUs) are counted as commissioned place funding,
and a placement's own place funding line is not counted for the days its provision has commissioned places (the
place is already funded, whoever pays it: docs/decisions/0029-commissioned-places.md, "In the outturn").
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from aphub.commissioning.models import PlacePayer
from aphub.commissioning.places.queries import PlaceFundingShare, commissioned_years_for, place_funding_shares_for
from aphub.core.clock import today
from aphub.funding.models import FundingLine
from aphub.funding.periods import (
    ONE_DAY,
    Period,
    academic_year_of,
    amount_between,
    financial_year_of,
    months_of_financial_year,
)
from aphub.pupils.models import Pupil

from .models import EVERY_ROUTE, BudgetAmount, BudgetCover, BudgetLine, HighNeedsAllocation, MoneyKind
from .rules import ZERO, RecentStart, cut_at, cut_spread_at, expected_in, recent_window, shares_of

# The drill-down's figures, and the row of the LA-paid lines no budget line covers.
ACTUALS, COMMITMENTS, EXPECTED = "actuals", "commitments", "expected"
FIGURES = {ACTUALS: "Actuals to date", COMMITMENTS: "Commitments", EXPECTED: "Expected new placements"}
NOT_IN_A_LINE = "none"
ALL_LINES = "all"
NOT_IN_A_LINE_NAME = "Not in a budget line"


def budget_lines_for(user) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.visible_to(user).prefetch_related("covers").order_by("order", "name", "pk")


def budget_line_for(user, pk: int) -> BudgetLine | None:
    return budget_lines_for(user).filter(pk=pk).first()


def budget_amounts_for(user, *, financial_year: int) -> dict[int, Decimal]:
    """Budget line id -> its amount for the year, for the lines that have one."""
    return dict(
        BudgetAmount.objects.visible_to(user)
        .filter(financial_year=financial_year)
        .values_list("budget_line_id", "amount")
    )


def allocation_for(user, *, financial_year: int) -> HighNeedsAllocation | None:
    return HighNeedsAllocation.objects.visible_to(user).filter(financial_year=financial_year).first()


def covers_taken(user) -> dict[tuple[str, str], BudgetLine]:
    """(kind, route kind) -> the budget line of the user's LA that covers it."""
    return {
        (cover.kind, cover.route_kind): cover.budget_line
        for cover in BudgetCover.objects.filter(budget_line__in=BudgetLine.objects.visible_to(user)).select_related(
            "budget_line"
        )
    }


def _la_lines(user) -> QuerySet[FundingLine]:
    """The user's LA-paid funding lines with what a drill-down shows of each, the child named only to those who may
    see the child (Pupil.objects.visible_to)."""
    visible_child = Pupil.objects.visible_to(user).filter(pk=OuterRef("placement__pupil_id"))
    return (
        FundingLine.objects.visible_to(user)
        .filter(payer=FundingLine.Payer.LA)
        .select_related("placement__route", "placement__pupil", "placement__provision")
        .annotate(child_shown=Exists(visible_child))
        .order_by("placement__start_date", "placement_id", "period_start", "kind", "pk")
    )


@dataclass
class Part:
    """A funding line's (or a recent start's, or commissioned places') share of one figure of the outturn: a
    drill-down's row."""

    placement: Any  # placements.Placement, with its pupil, provision and route; None for commissioned places
    child_shown: bool
    kind: str
    annual_rate: Decimal  # for commissioned places, the academic year's place funding
    start: datetime.date
    end: datetime.date
    amount: Decimal
    line: FundingLine | None = None  # None for an expected new placement's share and for commissioned places
    commissioned: PlaceFundingShare | None = None

    @property
    def provision(self):
        return self.commissioned.provision if self.commissioned is not None else self.placement.provision

    @property
    def route_name(self) -> str:
        return "Every route" if self.commissioned is not None else self.placement.route.name

    @property
    def placement_id(self) -> int | None:
        return self.placement.pk if self.placement is not None else None


@dataclass(frozen=True)
class Counted:
    """The days of a LA-paid funding line the outturn counts, and their amount: the whole stored line, or the part of
    it outside the academic years its provision has commissioned places."""

    line: FundingLine
    start: datetime.date
    end: datetime.date
    amount: Decimal


def _academic_years_of(start: datetime.date, end: datetime.date) -> list[tuple[int, datetime.date, datetime.date]]:
    """start..end cut at every 1 September: (academic year, first day, last day) in order."""
    pieces = []
    cursor = start
    while cursor <= end:
        year = academic_year_of(cursor)
        last = min(end, datetime.date(year + 1, 9, 1) - ONE_DAY)
        pieces.append((year, cursor, last))
        cursor = last + ONE_DAY
    return pieces


def counted_parts(line: FundingLine, commissioned: set[tuple[int, int]]) -> list[Counted]:
    """What the outturn counts of a funding line. A placement's own place funding is left out for the days its
    provision has commissioned places in the academic year: those places' funding pays for the place, whoever pays
    it (the LA for its PRU, the DfE for an academy), so counting the line too would count the place twice."""
    if line.kind != FundingLine.Kind.PLACE_FUNDING:
        return [Counted(line, line.period_start, line.period_end, line.amount)]
    provision_id = line.placement.provision_id
    pieces = _academic_years_of(line.period_start, line.period_end)
    kept = [(start, end) for year, start, end in pieces if (provision_id, year) not in commissioned]
    if len(kept) == len(pieces):
        return [Counted(line, line.period_start, line.period_end, line.amount)]
    return [Counted(line, start, end, amount_between(line.annual_rate, start, end)) for start, end in kept]


@dataclass
class Row:
    """One row of the outturn: a budget line, the LA-paid lines in none, or the total."""

    key: str  # the budget line's id, NOT_IN_A_LINE or ALL_LINES: the drill-down's `line`
    name: str
    budget: Decimal | None
    actuals: Decimal = ZERO
    commitments: Decimal = ZERO
    expected: Decimal = ZERO
    recent_starts: int = 0  # placements started in the recent window with money in this row

    @property
    def forecast(self) -> Decimal:
        return self.actuals + self.commitments + self.expected

    @property
    def variance(self) -> Decimal | None:
        """Budget less forecast outturn: positive is an underspend, negative an overspend."""
        return None if self.budget is None else self.budget - self.forecast


@dataclass
class Month:
    period: Period
    actuals: Decimal = ZERO
    commitments: Decimal = ZERO
    expected: Decimal = ZERO

    @property
    def forecast(self) -> Decimal:
        return self.actuals + self.commitments + self.expected

    @property
    def key(self) -> str:
        return f"{self.period.start:%Y-%m}"


@dataclass
class Outturn:
    financial_year: int
    today: datetime.date
    rows: list[Row]
    total: Row
    months: list[Month]
    allocation: Decimal | None
    recent_from: datetime.date  # the first day of the recent starts window
    # Place funding the DfE pays academies and free schools for their commissioned places in the year: not the LA's
    # spend (recouped from its allocation before it is paid), shown for context only.
    paid_by_dfe: Decimal = ZERO


def _bucket(line: FundingLine, covers: dict[tuple[str, str], BudgetLine]) -> str:
    line_ = covers.get((line.kind, line.placement.route.kind))
    return str(line_.pk) if line_ is not None else NOT_IN_A_LINE


def _commissioned_bucket(covers: dict[tuple[str, str], BudgetLine]) -> str:
    line_ = covers.get((MoneyKind.COMMISSIONED_PLACE_FUNDING.value, EVERY_ROUTE))
    return str(line_.pk) if line_ is not None else NOT_IN_A_LINE


def _commissioned_parts(user, financial_year: int) -> tuple[list[PlaceFundingShare], Decimal]:
    """The LA-paid commissioned places' shares of the year, and what the DfE pays for the others (context only)."""
    shares = place_funding_shares_for(user, financial_year)
    paid_by_la = [row for row in shares if row.commissioned.payer == PlacePayer.LA]
    paid_by_dfe = sum((row.share.amount for row in shares if row.commissioned.payer != PlacePayer.LA), ZERO)
    return paid_by_la, paid_by_dfe


def _recent_starts(user, covers, on: datetime.date) -> dict[str, list[tuple[RecentStart, FundingLine]]]:
    """Budget line key -> the placements started in the recent window with LA-paid lines in it, oldest first. A start
    at a provision with commissioned places brings no place funding of its own (counted_parts)."""
    first, last = recent_window(on)
    commissioned = commissioned_years_for(user)
    found: dict[tuple[str, int], dict] = {}
    for line in _la_lines(user).filter(placement__start_date__range=(first, last)):
        if line.kind == FundingLine.Kind.PLACE_FUNDING and (
            (line.placement.provision_id, academic_year_of(line.placement.start_date)) in commissioned
        ):
            continue
        entry = found.setdefault(
            (_bucket(line, covers), line.placement_id), {"line": line, "rates": {}, "end": line.period_end}
        )
        # The annual rate of each kind of money, from its first line (a line of a later year has the same rate).
        entry["rates"].setdefault(line.kind, line.annual_rate)
        entry["end"] = max(entry["end"], line.period_end)
    starts: dict[str, list[tuple[RecentStart, FundingLine]]] = defaultdict(list)
    for (key, placement_id), entry in found.items():
        line = entry["line"]
        start = RecentStart(
            placement_id=placement_id,
            annual_rate=sum(entry["rates"].values(), Decimal("0.00")),
            funded_days=(entry["end"] - line.placement.start_date).days + 1,
        )
        starts[key].append((start, line))
    return starts


def _keys_of(user) -> list[tuple[str, str]]:
    return [(str(line.pk), line.name) for line in budget_lines_for(user)] + [(NOT_IN_A_LINE, NOT_IN_A_LINE_NAME)]


def outturn_for(user, *, financial_year: int) -> Outturn:
    """The year's budget, actuals to date, commitments, expected new placements, forecast and variance per budget
    line and in total, with the month-by-month profile. Every figure is a sum of drill-down parts (parts_of)."""
    on = today()
    covers = covers_taken(user)
    budgets = budget_amounts_for(user, financial_year=financial_year)
    rows = {
        key: Row(key=key, name=name, budget=budgets.get(int(key)) if key != NOT_IN_A_LINE else None)
        for key, name in _keys_of(user)
    }
    months = [Month(period=period) for period in months_of_financial_year(financial_year)]
    commissioned = commissioned_years_for(user)
    for line in _la_lines(user).filter(financial_year=financial_year):
        row = rows[_bucket(line, covers)]
        for part in counted_parts(line, commissioned):
            actual, commitment = cut_at(line.annual_rate, part.start, part.end, on)
            row.actuals += actual
            # The rest of the part, so actuals and commitment are the stored line to the penny.
            row.commitments += part.amount - actual
            for month in months:
                month_actual, month_commitment = cut_at(line.annual_rate, part.start, part.end, on, month.period)
                month.actuals += month_actual
                month.commitments += month_commitment
    places, paid_by_dfe = _commissioned_parts(user, financial_year)
    for place in places:
        row = rows[_commissioned_bucket(covers)]
        actual, commitment = cut_spread_at(place.share, on)
        row.actuals += actual
        row.commitments += commitment
        for month in months:
            month_actual, month_commitment = cut_spread_at(place.share, on, month.period)
            month.actuals += month_actual
            month.commitments += month_commitment
    started: set[int] = set()
    for key, found in _recent_starts(user, covers, on).items():
        starts = [start for start, _ in found]
        started |= {start.placement_id for start in starts}
        rows[key].expected = expected_in(starts, financial_year, on)
        rows[key].recent_starts = len(starts)
        for month in months:
            month.expected += expected_in(starts, financial_year, on, month.period)
    shown = [row for key, row in rows.items() if key != NOT_IN_A_LINE or row.forecast or row.recent_starts]
    total = Row(
        key=ALL_LINES,
        name="Total",
        budget=sum(budgets.values(), Decimal("0.00")) if budgets else None,
        actuals=sum((row.actuals for row in shown), ZERO),
        commitments=sum((row.commitments for row in shown), ZERO),
        expected=sum((row.expected for row in shown), ZERO),
        # A placement whose place funding and top-up are in two lines is one start.
        recent_starts=len(started),
    )
    allocation = allocation_for(user, financial_year=financial_year)
    return Outturn(
        financial_year=financial_year,
        today=on,
        rows=shown,
        total=total,
        months=months,
        allocation=allocation.amount if allocation else None,
        recent_from=recent_window(on)[0],
        paid_by_dfe=paid_by_dfe,
    )


def row_name(user, key: str) -> str | None:
    """The name of a drill-down's `line`, or None when it is no line of the user's LA."""
    if key == ALL_LINES:
        return "All budget lines"
    if key == NOT_IN_A_LINE:
        return NOT_IN_A_LINE_NAME
    if not key.isdigit() or len(key) > 18:
        return None
    found = budget_line_for(user, int(key))
    return found.name if found else None


def parts_of(user, *, financial_year: int, figure: str, key: str, month: Period | None = None) -> list[Part]:
    """The parts that make one figure of the outturn (of one budget line, or all, in the year or one month): the
    funding lines' actuals or commitments, or the recent starts' shares of the expected cost. Their amounts add up to
    the figure on the outturn page to the penny; parts of nothing are left out."""
    if figure in (ACTUALS, COMMITMENTS):
        return spent_parts_of(user, financial_year=financial_year, key=key, month=month)[figure]
    on = today()
    covers = covers_taken(user)
    wanted = (lambda bucket: True) if key == ALL_LINES else (lambda bucket: bucket == key)
    parts: list[Part] = []
    for bucket, found in _recent_starts(user, covers, on).items():
        if not wanted(bucket):
            continue
        starts = [start for start, _ in found]
        amount = expected_in(starts, financial_year, on, month)
        for (start, line), share in zip(found, shares_of(amount, starts), strict=True):
            if share:
                parts.append(_part(line, share, annual_rate=start.annual_rate, days=start.funded_days))
    return parts


def spent_parts_of(user, *, financial_year: int, key: str, month: Period | None = None) -> dict[str, list[Part]]:
    """The parts of both the actuals to date and the commitments (parts_of), from one read of the funding lines and
    commissioned places: each line is cut once into what is paid and what is committed."""
    on = today()
    covers = covers_taken(user)
    wanted = (lambda bucket: True) if key == ALL_LINES else (lambda bucket: bucket == key)
    parts: dict[str, list[Part]] = {ACTUALS: [], COMMITMENTS: []}
    commissioned = commissioned_years_for(user)
    for line in _la_lines(user).filter(financial_year=financial_year):
        if not wanted(_bucket(line, covers)):
            continue
        for counted in counted_parts(line, commissioned):
            actual, commitment = cut_at(line.annual_rate, counted.start, counted.end, on, month)
            if month is None:
                commitment = counted.amount - actual
            for figure, amount in ((ACTUALS, actual), (COMMITMENTS, commitment)):
                if amount:
                    parts[figure].append(_part(line, amount, start=counted.start, end=counted.end))
    if wanted(_commissioned_bucket(covers)):
        for place in _commissioned_parts(user, financial_year)[0]:
            actual, commitment = cut_spread_at(place.share, on, month)
            for figure, amount in ((ACTUALS, actual), (COMMITMENTS, commitment)):
                if amount:
                    parts[figure].append(_commissioned_part(place, amount))
    return parts


def _commissioned_part(place: PlaceFundingShare, amount: Decimal) -> Part:
    commissioned = place.commissioned
    year = commissioned.academic_year
    return Part(
        placement=None,
        child_shown=False,
        kind=f"Commissioned places, {year} to {year + 1}: {commissioned.places} at £{commissioned.rate_per_place:,}",
        annual_rate=place.funding,
        start=place.share.start,
        end=place.share.end,
        amount=amount,
        commissioned=place,
    )


def _part(
    line: FundingLine,
    amount: Decimal,
    *,
    annual_rate: Decimal | None = None,
    days: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Part:
    placement = line.placement
    if annual_rate is None:
        return Part(
            placement=placement,
            child_shown=getattr(line, "child_shown", False),
            kind=line.get_kind_display(),
            annual_rate=line.annual_rate,
            start=start or line.period_start,
            end=end or line.period_end,
            amount=amount,
            line=line,
        )
    return Part(
        placement=placement,
        child_shown=getattr(line, "child_shown", False),
        kind="Expected new placement",
        annual_rate=annual_rate,
        start=placement.start_date,
        end=placement.start_date + datetime.timedelta(days=(days or 1) - 1),
        amount=amount,
    )


def month_of(financial_year: int, key: str) -> Period | None:
    """The month of the year named '2026-04', or None."""
    return next((period for period in months_of_financial_year(financial_year) if f"{period.start:%Y-%m}" == key), None)


def financial_years_for(user) -> list[int]:
    """The years with LA-paid lines or a budget, with the current one, latest first."""
    years = set(FundingLine.objects.visible_to(user).order_by().values_list("financial_year", flat=True).distinct())
    years |= set(BudgetAmount.objects.visible_to(user).order_by().values_list("financial_year", flat=True).distinct())
    years.add(financial_year_of(today()))
    return sorted(years, reverse=True)


def budget_rows(user, *, financial_year: int) -> list[tuple[BudgetLine, Decimal | None]]:
    amounts = budget_amounts_for(user, financial_year=financial_year)
    return [(line, amounts.get(line.pk)) for line in budget_lines_for(user)]


def pupils_named(parts: Iterable[Part]) -> list:
    """The children a list of parts names (for the access log)."""
    return list(
        {
            part.placement.pupil_id: part.placement.pupil for part in parts if part.child_shown and part.placement
        }.values()
    )
