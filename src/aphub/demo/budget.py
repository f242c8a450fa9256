"""Elmbridge's High Needs Block budget for the current financial year (issue 13), so the outturn at /funding/ has
lines, budgets and variances to show.

The lines follow the issue's examples: place funding for PRU and AP academy places, the LA's top-ups for permanently
excluded children, for section 19 and children awaiting a school place, and hospital and medical education. Each
line's budget is set near what the demo's placements already cost in the year, a little over or under, so some lines
show an overspend and some an underspend. The allocation is of the order of seed 004's (Solihull's) High Needs Block.
"""

from decimal import Decimal

from django.db.models import Sum

from aphub.commissioning.models import CommissionedPlaces, PlacePayer
from aphub.commissioning.places.place_funding import place_funding, share_in_financial_year
from aphub.core.clock import today
from aphub.duties.models import EpisodeKind
from aphub.finance.models import EVERY_ROUTE, BudgetAmount, BudgetCover, BudgetLine, HighNeedsAllocation, MoneyKind
from aphub.funding.models import FundingLine
from aphub.funding.periods import financial_year_of
from aphub.organisations.models import LocalAuthority

PLACE, TOP_UP, COMMISSIONED = MoneyKind.PLACE_FUNDING, MoneyKind.TOP_UP, MoneyKind.COMMISSIONED_PLACE_FUNDING
# (name, what it covers, its budget as a share of the year's committed cost, a floor in pounds)
LINES = (
    (
        "Place funding: PRU and AP academy places",
        [(COMMISSIONED, EVERY_ROUTE)]
        + [
            (PLACE, kind)
            for kind in (
                "permanent-exclusion",
                "awaiting-school-place",
                "short-term-intervention",
                "long-term-ap",
                "other-s19",
            )
        ],
        Decimal("1.10"),
        Decimal("150000"),
    ),
    (
        "Top-ups: permanently excluded pupils",
        [(TOP_UP, EpisodeKind.PERMANENT_EXCLUSION)],
        Decimal("0.90"),
        Decimal("80000"),
    ),
    (
        "Top-ups: section 19 and awaiting a school place",
        [(TOP_UP, EpisodeKind.AWAITING_SCHOOL_PLACE), (TOP_UP, EpisodeKind.OTHER_S19)],
        Decimal("1.05"),
        Decimal("40000"),
    ),
    (
        "Hospital and medical education",
        [(PLACE, EpisodeKind.HEALTH_NEEDS), (TOP_UP, EpisodeKind.HEALTH_NEEDS)],
        Decimal("0.95"),
        Decimal("30000"),
    ),
)
HIGH_NEEDS_ALLOCATION = Decimal("48500000.00")


def _commissioned_places_paid_by_la(la: LocalAuthority, year: int) -> Decimal:
    """The place funding of the LA's own commissioned places (its PRU: demo/places.py) falling in the year."""
    return sum(
        (
            share_in_financial_year(row.academic_year, place_funding(row.places, row.rate_per_place), year)
            for row in CommissionedPlaces.objects.filter(
                local_authority=la, payer=PlacePayer.LA, academic_year__in=[year - 1, year]
            )
        ),
        Decimal("0.00"),
    )


def build_demo_budget(*, la: LocalAuthority) -> dict[str, int]:
    year = financial_year_of(today())
    made = 0
    for order, (name, covers, share, floor) in enumerate(LINES, start=1):
        line = BudgetLine.objects.create(local_authority=la, name=name, order=order * 10)
        BudgetCover.objects.bulk_create(
            BudgetCover(budget_line=line, local_authority=la, kind=kind, route_kind=route_kind)
            for kind, route_kind in covers
        )
        committed = Decimal("0.00")
        for kind, route_kind in covers:
            if kind == COMMISSIONED:
                committed += _commissioned_places_paid_by_la(la, year)
                continue
            committed += FundingLine.objects.filter(
                local_authority=la,
                payer=FundingLine.Payer.LA,
                financial_year=year,
                kind=kind,
                placement__route__kind=route_kind,
            ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        # A budget in round thousands, as councils set them.
        amount = (max(committed * share, floor) / 1000).quantize(Decimal(1)) * 1000
        BudgetAmount.objects.create(budget_line=line, financial_year=year, amount=amount)
        made += 1
    HighNeedsAllocation.objects.create(local_authority=la, financial_year=year, amount=HIGH_NEEDS_ALLOCATION)
    return {"budget lines": made}
