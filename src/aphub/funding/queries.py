"""Reads of funding lines, always from `FundingLine.objects.visible_to(user)`: LA staff see their LA's lines, school
staff the lines their school pays, provider staff none."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from aphub.core.clock import today
from aphub.pupils.models import Pupil

from .models import FundingLine
from .periods import financial_year_of
from .planning import payments_for, place_funding_rate
from .rules import DOUBLE_FUNDED_LINES, double_funding


def lines_visible_to(user) -> QuerySet[FundingLine]:
    return FundingLine.objects.visible_to(user)


def current_financial_year() -> int:
    return financial_year_of(today())


def financial_years_for(user) -> list[int]:
    """The financial years the user has lines in, with the current one, latest first."""
    years = set(lines_visible_to(user).order_by().values_list("financial_year", flat=True).distinct())
    years.add(current_financial_year())
    return sorted(years, reverse=True)


def lines_for(user, *, financial_year: int) -> QuerySet[FundingLine]:
    """The year's lines with what the page and the downloads show of each, in placement and date order.

    Each line names its child (`placement.pupil`) and says whether the user may see that child (`child_shown`, from
    Pupil.objects.visible_to): the page and the files show the name and UPN only then.
    """
    visible_child = Pupil.objects.visible_to(user).filter(pk=OuterRef("placement__pupil_id"))
    return (
        lines_visible_to(user)
        .filter(financial_year=financial_year)
        .select_related("payer_school", "placement__provision", "placement__route", "placement__pupil")
        .annotate(child_shown=Exists(visible_child))
        .order_by("placement_id", "period_start", "kind", "pk")
    )


@dataclass(frozen=True)
class Totals:
    """What one payer pays in a financial year, by kind of money."""

    payer: str
    place_funding: Decimal
    top_up: Decimal
    lines: int

    @property
    def total(self) -> Decimal:
        return self.place_funding + self.top_up


def totals_for(user, *, financial_year: int) -> list[Totals]:
    """The year's totals by payer (the LA first, then schools by name) and kind, summed in the database."""
    rows = (
        lines_visible_to(user)
        .filter(financial_year=financial_year)
        .order_by()
        .values("payer", "payer_school__name", "kind")
        .annotate(amount=Sum("amount"), lines=Count("pk"))
    )
    la_label = FundingLine.Payer.LA.label
    by_payer: dict[str, dict] = {}
    for row in rows:
        name = row["payer_school__name"] if row["payer"] == FundingLine.Payer.SCHOOL else la_label
        entry = by_payer.setdefault(name, {"lines": 0, **{kind: Decimal("0.00") for kind in FundingLine.Kind.values}})
        entry[row["kind"]] += row["amount"]
        entry["lines"] += row["lines"]
    ordered = sorted(by_payer, key=lambda name: (name != la_label, name))
    return [
        Totals(
            payer=name,
            place_funding=by_payer[name][FundingLine.Kind.PLACE_FUNDING],
            top_up=by_payer[name][FundingLine.Kind.TOP_UP],
            lines=by_payer[name]["lines"],
        )
        for name in ordered
    ]


def grand_total(totals: list[Totals]) -> Totals:
    return Totals(
        payer="All payers",
        place_funding=sum((t.place_funding for t in totals), Decimal("0.00")),
        top_up=sum((t.top_up for t in totals), Decimal("0.00")),
        lines=sum(t.lines for t in totals),
    )


@dataclass(frozen=True)
class DoubleFunded:
    placement: object
    top_up: Decimal  # what the LA pays in top-up for it in the year
    warning: str


# Funding lines point at placements, but funding sits below them (docs/decisions/0022-layers.md): the placements app
# hands this app the placements a user may see at start-up (placements/apps.py), as organisations hands core its
# membership resolver.
_visible_placements: Callable[[Any], QuerySet] | None = None


def register_visible_placements(visible_to: Callable[[Any], QuerySet]) -> None:
    global _visible_placements
    _visible_placements = visible_to


def double_funded_for(user, *, financial_year: int) -> list[DoubleFunded]:
    """Placements whose LA top-up in the year is double funding (funding.rules.double_funding), oldest first.

    The database finds them from the stored lines; the rule then words the warning for each.
    """
    lines = lines_visible_to(user).filter(DOUBLE_FUNDED_LINES, financial_year=financial_year)
    top_ups = dict(
        lines.order_by().values("placement_id").annotate(amount=Sum("amount")).values_list("placement_id", "amount")
    )
    if not top_ups:
        return []
    if _visible_placements is None:
        raise RuntimeError("The placements app has not registered how a user's placements are read.")
    placements = (
        _visible_placements(user)
        .filter(pk__in=top_ups)
        .select_related(
            "pupil",
            "provision",
            "route",
            "episode__route",
            "episode__school",
            "commissioning_school",
            "school_pays_decision",  # funding.planning asks it of a top-up the route has the LA pay
        )
        .order_by("start_date", "pk")
    )
    rates: dict[int, Decimal] = {}
    found = []
    for placement in placements:
        la_id = placement.pupil.local_authority_id
        if la_id not in rates:
            rates[la_id] = place_funding_rate(la_id)
        warning = double_funding(placement, payments_for(placement, place_funding=rates[la_id]))
        if warning:
            found.append(DoubleFunded(placement=placement, top_up=top_ups[placement.pk], warning=warning))
    return found
