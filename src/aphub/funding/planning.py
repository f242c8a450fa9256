"""Who pays what for a placement, a year at a time: the funding lines a placement should have, unsaved.

Seed 004 section 7 (the routes into AP) decides the payers:

- Place funding, the High Needs Block's 'lump sum' for a place (LocalPolicy.place_funding_annual, £10,000 by
  default), is paid only when the route names a place-funding payer.
- The top-up is the one agreed at offer from the LA's top-up bands (or an exception to them), kept on the placement
  as `annual_top_up` (decision 0030); where the offer agreed an annual cost instead, it is the rest of that cost
  (never below nothing) when place funding applies, else the whole annual cost. The route's top-up payer pays it,
  except that a school that commissions the placement pays its top-up itself.
- A school that pays is the commissioning school; when an LA commissions on a route whose payer is a school (health
  needs, long-term AP), it is the school the child was on the roll of when the episode began.
- Where the LA would pay a top-up the school should pay (double funding), the LA's finance officer may decide the
  school pays it (models.SchoolPaysDecision): the top-up is then the school's, and the LA stops paying it.

A placement is read through its attributes only (route, episode, pupil, provision): this app never imports the
placements app, which calls this one when a placement's dates or terms change.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist

from aphub.core.money import to_money
from aphub.duties.models import LocalPolicy

from .models import FundingLine
from .periods import funding_period, split_by_financial_year

# Values of placements.models.Placement/Route fields, spelled here because this app does not import that one.
SCHOOL = FundingLine.Payer.SCHOOL
LA = FundingLine.Payer.LA
DUAL_REGISTRATION = "dual"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Payment:
    """One kind of money for a placement at an annual rate, before it is cut into financial years."""

    kind: str
    payer: str
    payer_school: object | None  # organisations.School; None when the LA pays or no school can be found
    annual_rate: Decimal

    @property
    def has_payer(self) -> bool:
        return self.payer != SCHOOL or self.payer_school is not None


def _policy_default(field: str):
    return LocalPolicy._meta.get_field(field).get_default()


def place_funding_rate(local_authority_id: int) -> Decimal:
    """The LA's annual place funding, or the default (£10,000) when it has set no policy.

    Read without creating a policy row, so a read (the agreement PDF) never writes.
    """
    rate = (
        LocalPolicy.objects.filter(local_authority_id=local_authority_id)
        .values_list("place_funding_annual", flat=True)
        .first()
    )
    return to_money(rate if rate is not None else _policy_default("place_funding_annual"))


def annual_cost_with_top_up(top_up: Decimal, *, place_funding_payer: str, local_authority_id: int) -> Decimal:
    """The annual cost of a place whose top-up is `top_up`: place funding and the top-up when the route names a
    place-funding payer, else the top-up alone (the same rule payments_for applies)."""
    if not place_funding_payer:
        return to_money(top_up)
    return place_funding_rate(local_authority_id) + to_money(top_up)


def school_pays_decision(placement):
    """The LA's decision that the school pays this placement's top-up (models.SchoolPaysDecision), or None.

    Looked up only for a saved placement (one query, cached on the placement by Django's one-to-one descriptor).
    """
    if placement.pk is None:
        return None
    try:
        return placement.school_pays_decision
    except ObjectDoesNotExist:
        return None


def paying_school(placement):
    """The school that pays when a route says a school pays: the commissioning school, else the school the LA's
    finance decision named (school_pays_decision), else the episode's school."""
    if placement.commissioning_school_id:
        return placement.commissioning_school
    decision = school_pays_decision(placement) if placement.route.top_up_payer != SCHOOL else None
    if decision is not None:
        return decision.school
    episode = getattr(placement, "episode", None)
    return episode.school if episode is not None and episode.school_id else None


def top_up_payer(placement) -> str:
    # A school that commissions pays the top-up, whatever the route says (seed 004: the commissioner pays it).
    if placement.commissioner == SCHOOL:
        return SCHOOL
    if placement.route.top_up_payer == SCHOOL:
        return SCHOOL
    # The LA's finance officer resolved double funding by deciding the school pays (docs/decisions/0031-recharges.md).
    # Asked last, so a school's own placements (the bulk imports of school-arranged AP) never query for it.
    if school_pays_decision(placement) is not None:
        return SCHOOL
    return placement.route.top_up_payer


def payments_for(placement, *, place_funding: Decimal | None = None) -> list[Payment]:
    """The placement's place funding and top-up at their annual rates. Zero-rate top-ups are left out.

    `place_funding` is the LA's annual place funding rate; it is looked up when not given.
    """
    route = placement.route
    annual_cost = to_money(placement.annual_cost)
    payments = []
    place_rate = None
    if route.place_funding_payer:
        place_rate = place_funding if place_funding is not None else place_funding_rate(_local_authority_id(placement))
        payments.append(_payment(placement, FundingLine.Kind.PLACE_FUNDING, route.place_funding_payer, place_rate))
    agreed = getattr(placement, "annual_top_up", None)
    if agreed is not None:
        top_up = to_money(agreed)
    else:
        top_up = max(annual_cost - place_rate, Decimal("0.00")) if place_rate is not None else annual_cost
    if top_up > 0:
        payments.append(_payment(placement, FundingLine.Kind.TOP_UP, top_up_payer(placement), top_up))
    return payments


def _payment(placement, kind: str, payer: str, annual_rate: Decimal) -> Payment:
    """A payment by `payer`, naming the paying school when a school pays (seed 004: see paying_school)."""
    school = paying_school(placement) if payer == SCHOOL else None
    return Payment(kind=kind, payer=payer, payer_school=school, annual_rate=to_money(annual_rate))


def _local_authority_id(placement) -> int:
    # The pupil's LA is the one whose High Needs Block pays, and whose staff see the placement.
    return placement.pupil.local_authority_id


def planned_lines(placement, *, place_funding: Decimal | None = None) -> list[FundingLine]:
    """The funding lines the placement should have, unsaved, in date order. A cancelled placement has none.

    A payment whose payer is a school that cannot be found is left out (funding_warnings names it): a line must name
    the school that pays it.
    """
    return [FundingLine(**values) for values in _line_values(placement, place_funding)]


def planned_line_rows(placement, *, place_funding: Decimal | None = None) -> list[dict]:
    """`planned_lines` as rows for core.bulk.insert_rows (the paying school by its id): what an import of thousands
    of placements writes without building a FundingLine for each line."""
    rows = []
    for values in _line_values(placement, place_funding):
        school = values.pop("payer_school")
        values["payer_school_id"] = school.pk if school is not None else None
        rows.append(values)
    return rows


def _line_values(placement, place_funding: Decimal | None) -> list[dict]:
    if placement.status == CANCELLED:
        return []
    start, end = funding_period(
        start_date=placement.start_date, end_date=placement.end_date, planned_end_date=placement.planned_end_date
    )
    payments = [payment for payment in payments_for(placement, place_funding=place_funding) if payment.has_payer]
    local_authority_id = _local_authority_id(placement)
    return [
        {
            "placement_id": placement.pk,
            "local_authority_id": local_authority_id,
            "kind": payment.kind,
            "payer": payment.payer,
            "payer_school": payment.payer_school,
            "financial_year": piece.financial_year,
            "period_start": piece.start,
            "period_end": piece.end,
            "days": piece.days,
            "annual_rate": payment.annual_rate,
            "amount": piece.amount(payment.annual_rate),
        }
        for piece in split_by_financial_year(start, end)
        for payment in payments
    ]
