"""What a finance officer takes to Schools Forum for a financial year (docs/decisions/0033-schools-forum-pack.md):
the outturn by budget line, place funding against occupancy by provision, High Needs Block spend by provider and by
route, and the cost of the AP schools bought themselves. Aggregates only: no child is named, so nothing here is a
read of a child's record.

Every figure is read through another part's reads, scoped to the user: the outturn (finance.queries), commissioned
places (commissioning.places.queries), the AP schools recorded (placements.school_arranged.queries). Nothing is
worked out twice:

- Spend by provider and by route are the parts of the outturn's actuals to date and commitments (`parts_of`, the
  drill-down's parts), grouped: each table adds up to the outturn's actuals plus commitments to the penny.
- Place funding in the financial year is each academic year's funding split 7/12 and 5/12 as
  commissioning.places.place_funding splits it (the year holds 5/12 of the academic year that started the September
  before and 7/12 of the one starting in its September). The cost of empty places in the financial year is each
  academic year's cost of empty places split the same way, so the financial years add up to the academic years.
- The cost of AP schools bought: a school gives a weekly cost for a school week (the census AP module; the annual
  cost is 38 of them, census.SCHOOL_WEEKS_A_YEAR), and it accrues by the day as funding lines do: the days of its
  funded period (funding.periods.funding_period: to its end, else planned end, else 31 August) that fall in the
  financial year, times the annual cost over the days of the year (`amount_between`).

The same reads take any days as well as a financial year (`spend_parts_between`, `bought_between`,
`paid_by_dfe_between`): insight's spend dashboard asks them for an academic year or a term, which crosses 1 April or
lies inside one financial year, and its figures are these, cut to its days.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from aphub.commissioning.models import PlacePayer
from aphub.commissioning.places.place_funding import split_across_financial_years
from aphub.commissioning.places.queries import PlacesInYear, place_funding_shares_for, places_and_occupancy_for
from aphub.core.clock import today
from aphub.directory.models import Provision
from aphub.funding.periods import Period, financial_year_bounds, funding_period, split_by_financial_year
from aphub.placements.models import SettingCategory
from aphub.placements.school_arranged.queries import recorded_by_schools_between

from .queries import ACTUALS, ALL_LINES, Outturn, Part, outturn_for, spent_parts_of
from .rules import ZERO, cut_spread_at


@dataclass
class Spend:
    """One provider's or route's LA-paid money in the year: actuals to date and commitments to 31 March."""

    name: str
    actuals: Decimal = ZERO
    commitments: Decimal = ZERO
    placement_ids: set[int] = field(default_factory=set)

    @property
    def total(self) -> Decimal:
        return self.actuals + self.commitments

    @property
    def placements(self) -> int:
        return len(self.placement_ids)


@dataclass(frozen=True)
class PlacesRow:
    """A provision's commissioned places of one academic year, and what of them falls in the financial year."""

    academic_year: int
    twelfths: int  # of the academic year's funding in the financial year: 5 (April to August) or 7
    found: PlacesInYear
    funding_in_year: Decimal
    cost_of_empty_in_year: Decimal

    @property
    def provision(self) -> str:
        return self.found.provision.name

    @property
    def academic_year_label(self) -> str:
        return f"{self.academic_year} to {self.academic_year + 1}"

    @property
    def paid_by(self) -> str:
        return self.found.commissioned.get_payer_display()

    @property
    def places(self) -> int:
        return self.found.occupancy.places

    def census(self, index: int):
        return self.found.occupancy.at_census[index]


@dataclass
class PlacesTotals:
    funding_in_year: Decimal = ZERO
    paid_by_la: Decimal = ZERO
    paid_by_dfe: Decimal = ZERO
    cost_of_empty_in_year: Decimal = ZERO


@dataclass
class Bought:
    """The AP schools bought themselves, of one type of setting or one school: its placements, children and cost."""

    name: str
    cost: Decimal = ZERO
    placement_ids: set[int] = field(default_factory=set)
    pupil_ids: set[int] = field(default_factory=set)

    @property
    def placements(self) -> int:
        return len(self.placement_ids)

    @property
    def children(self) -> int:
        return len(self.pupil_ids)


@dataclass(frozen=True)
class ForumPack:
    financial_year: int
    outturn: Outturn
    places: list[PlacesRow]
    places_totals: PlacesTotals
    by_provider: list[Spend]
    by_route: list[Spend]
    spend_total: Spend
    by_setting: list[Bought]
    by_school: list[Bought]
    bought_total: Bought


def _place_funding(user, financial_year: int) -> tuple[list[PlacesRow], PlacesTotals]:
    """The commissioned places of the two academic years the financial year overlaps, each with its share of the
    financial year: 5/12 of the one that started the September before, 7/12 of the one starting in its September."""
    rows, totals = [], PlacesTotals()
    for academic_year, index in ((financial_year - 1, 1), (financial_year, 0)):
        for found in places_and_occupancy_for(user, academic_year=academic_year).rows:
            share = found.shares[index]
            empty = split_across_financial_years(academic_year, found.occupancy.cost_of_empty)[index]
            row = PlacesRow(
                academic_year=academic_year,
                twelfths=share.twelfths,
                found=found,
                funding_in_year=share.amount,
                cost_of_empty_in_year=empty.amount,
            )
            rows.append(row)
            totals.funding_in_year += share.amount
            totals.cost_of_empty_in_year += empty.amount
            if found.commissioned.payer == PlacePayer.LA:
                totals.paid_by_la += share.amount
            else:
                totals.paid_by_dfe += share.amount
    return rows, totals


def _grouped(parts: Iterable[tuple[str, Part]], name_of: Callable[[Part], tuple[object, str]]) -> list[Spend]:
    found: dict[object, Spend] = {}
    for figure, part in parts:
        key, name = name_of(part)
        spend = found.setdefault(key, Spend(name=name))
        if figure == ACTUALS:
            spend.actuals += part.amount
        else:
            spend.commitments += part.amount
        if part.placement_id is not None:
            spend.placement_ids.add(part.placement_id)
    return sorted(found.values(), key=lambda spend: (-spend.total, spend.name))


def _pieces(first: datetime.date, last: datetime.date) -> list[tuple[int, Period | None]]:
    """The days first..last cut at each 1 April: each financial year they touch with its days in it, None for a whole
    year (the outturn's own figure, uncut)."""
    return [
        (
            piece.financial_year,
            None
            if (piece.start, piece.end) == financial_year_bounds(piece.financial_year)
            else Period(name=f"{piece.start} to {piece.end}", start=piece.start, end=piece.end),
        )
        for piece in split_by_financial_year(first, last)
    ]


def spend_parts_between(user, first: datetime.date, last: datetime.date) -> list[tuple[str, Part]]:
    """The outturn's actuals to date and commitments (its drill-down's parts, `parts_of`) on the days first..last:
    every financial year they touch, cut to those days. The funding lines of each year are read once for both."""
    return [
        (figure, part)
        for financial_year, days in _pieces(first, last)
        for figure, parts in spent_parts_of(user, financial_year=financial_year, key=ALL_LINES, month=days).items()
        for part in parts
    ]


def paid_by_dfe_between(user, first: datetime.date, last: datetime.date) -> Decimal:
    """The place funding the DfE pays AP academies and free schools directly for their commissioned places, on the
    days first..last: not the LA's spend (recouped from its allocation), but money spent on AP in its area."""
    on = today()
    total = ZERO
    for financial_year, days in _pieces(first, last):
        for row in place_funding_shares_for(user, financial_year):
            if row.commissioned.payer != PlacePayer.LA:
                actual, commitment = cut_spread_at(row.share, on, days)
                total += actual + commitment
    return total


def spend_of(parts: list[tuple[str, Part]]) -> tuple[list[Spend], list[Spend], Spend]:
    """Parts of the outturn's spend (`spend_parts_between`) by provider and by route, and their total."""
    # The providers of the provisions those parts are at (read once, not once a part).
    providers = {
        provision.pk: provision.provider
        for provision in Provision.objects.filter(pk__in={part.provision.pk for _, part in parts}).select_related(
            "provider"
        )
    }

    def provider_of(part: Part) -> tuple[object, str]:
        provider = providers[part.provision.pk]
        return provider.pk, str(provider)

    def route_of(part: Part) -> tuple[object, str]:
        # Commissioned places are paid for whichever route brings a child to them (decision 0029): one row of their own.
        if part.placement is None:
            return None, "Commissioned places (every route)"
        return part.placement.route_id, part.placement.route.name

    by_provider = _grouped(parts, provider_of)
    total = Spend(
        name="Total",
        actuals=sum((spend.actuals for spend in by_provider), ZERO),
        commitments=sum((spend.commitments for spend in by_provider), ZERO),
        placement_ids={part.placement_id for _, part in parts if part.placement_id is not None},
    )
    return by_provider, _grouped(parts, route_of), total


def cost_between(
    annual_cost: Decimal, first: datetime.date, last: datetime.date, start: datetime.date, end: datetime.date
) -> Decimal:
    """What a placement costing `annual_cost` a year costs on its days first..last that fall in start..end: accrued
    by the day as funding lines are, in each financial year they cross (nothing when none of its days do)."""
    first, last = max(first, start), min(last, end)
    if first > last:
        return ZERO
    return sum((piece.amount(annual_cost) for piece in split_by_financial_year(first, last)), ZERO)


def cost_in_year(annual_cost: Decimal, first: datetime.date, last: datetime.date, financial_year: int) -> Decimal:
    """What a placement costing `annual_cost` a year costs on its days first..last that fall in the financial year."""
    return cost_between(annual_cost, first, last, *financial_year_bounds(financial_year))


@dataclass(frozen=True)
class BoughtIn:
    """The AP schools recorded they arranged themselves over some days: by type of setting, by school, in total."""

    by_setting: list[Bought]
    by_school: list[Bought]
    total: Bought


def bought_between(user, first: datetime.date, last: datetime.date, *, chosen: Q | None = None) -> BoughtIn:
    """The AP schools recorded they arranged themselves (those of them `chosen` picks, when given), costed on the days
    first..last, by type of setting and by school."""
    by_setting: dict[str, Bought] = {}
    by_school: dict[int, Bought] = {}
    total = Bought(name="Total")
    placements = recorded_by_schools_between(user, first, last)
    for placement in placements if chosen is None else placements.filter(chosen):
        start, end = funding_period(
            start_date=placement.start_date, end_date=placement.end_date, planned_end_date=placement.planned_end_date
        )
        if end < first:
            continue
        cost = cost_between(placement.annual_cost, start, end, first, last)
        school = placement.commissioning_school
        for group in (
            by_setting.setdefault(
                placement.setting_category, Bought(name=SettingCategory(placement.setting_category).label)
            ),
            by_school.setdefault(school.pk, Bought(name=school.name)),
            total,
        ):
            group.cost += cost
            group.placement_ids.add(placement.pk)
            group.pupil_ids.add(placement.pupil_id)
    order = list(SettingCategory.values)
    settings = [by_setting[value] for value in sorted(by_setting, key=order.index)]
    schools = sorted(by_school.values(), key=lambda bought: (-bought.cost, bought.name))
    return BoughtIn(by_setting=settings, by_school=schools, total=total)


def forum_pack_for(user, *, financial_year: int) -> ForumPack:
    places, places_totals = _place_funding(user, financial_year)
    by_provider, by_route, spend_total = spend_of(spend_parts_between(user, *financial_year_bounds(financial_year)))
    bought = bought_between(user, *financial_year_bounds(financial_year))
    return ForumPack(
        financial_year=financial_year,
        outturn=outturn_for(user, financial_year=financial_year),
        places=places,
        places_totals=places_totals,
        by_provider=by_provider,
        by_route=by_route,
        spend_total=spend_total,
        by_setting=bought.by_setting,
        by_school=bought.by_school,
        bought_total=bought.total,
    )
