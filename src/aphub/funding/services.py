"""Funding of placements: plan a placement's lines, and what the placement page says about its money.

The placements app calls `plan_funding(placement=...)` whenever a placement is offered, or its dates, route, cost or
status change (it may end early or be cancelled), in the same transaction as that change.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from aphub.core.errors import DomainError

from . import rules
from .models import FundingLine
from .planning import annual_cost_with_top_up as annual_cost_with_top_up
from .planning import planned_lines as _planned_lines


def planned_lines(*, placement) -> list[FundingLine]:
    """The lines `plan_funding` would store, unsaved (for the agreement PDF and previews). Nothing is written."""
    try:
        return _planned_lines(placement)
    except ValueError as error:
        # funding_period refuses an end before the start; the sentence names both dates.
        raise DomainError(str(error), field="end_date") from error


@transaction.atomic
def plan_funding(*, placement) -> list[FundingLine]:
    """Replace the placement's funding lines with those its dates, route and cost now call for; return them.

    The lines are derived from the placement, so the access log records the caller's change of the placement, not
    these lines (which hold no child's details).
    """
    if placement.pk is None:
        raise ValueError("Save the placement before planning its funding")
    lines = planned_lines(placement=placement)
    # Lock the placement row so two changes of one placement cannot interleave their deletes and inserts
    # (PostgreSQL; SQLite serialises writers anyway).
    type(placement)._default_manager.select_for_update().filter(pk=placement.pk).values_list("pk").first()
    FundingLine.objects.filter(placement_id=placement.pk).delete()
    return FundingLine.objects.bulk_create(lines)


def billed_school(*, placement):
    """The school billed the placement's top-up, as its funding lines bill it (seed 004 section 9: the commissioner
    pays the top-up), or None when the LA pays it. A route that bills a school whose school is not named yet gives
    None too: billed_commissioner says so in words."""
    from .planning import SCHOOL, paying_school, top_up_payer

    return paying_school(placement) if top_up_payer(placement) == SCHOOL else None


def billed_commissioner(*, placement) -> str:
    """Who commissions the placement, named as its funding lines name the payer of the top-up: the paying school's
    name, else the LA's. The placement page and the agreement show this, so the commissioner named is the one billed."""
    from .planning import SCHOOL, top_up_payer

    school = billed_school(placement=placement)
    if school is not None:
        return school.name
    if top_up_payer(placement) == SCHOOL:
        return "A school, not named yet"
    return placement.pupil.local_authority.name


def funding_warnings(*, placement) -> list[str]:
    """Plain sentences about what is wrong with the placement's funding, double funding first; none if all is well."""
    return rules.warnings_for(placement)


@dataclass(frozen=True)
class PayerTotal:
    payer: str  # who pays, as a name: a school's name or the LA's High Needs Block
    place_funding: Decimal
    top_up: Decimal

    @property
    def total(self) -> Decimal:
        return self.place_funding + self.top_up


@dataclass(frozen=True)
class FundingSummary:
    lines: list[FundingLine]
    totals_by_payer: list[PayerTotal]
    total: Decimal
    warnings: list[str]


def funding_summary(*, placement, user) -> FundingSummary:
    """The placement's lines the user may see, in date order, what each payer pays in all, and the warnings.

    Scoped like every funding read (FundingLine.visible_to): LA staff see every line, a school the lines it pays,
    providers none. Double-funding warnings are the LA's working papers: only LA staff and its finance officers get
    them. The caller has already found the placement through `visible_to(user)` and logged the view of it.
    """
    from aphub.organisations.models import FINANCE_READERS
    from aphub.organisations.queries import role_of

    lines = list(
        FundingLine.objects.visible_to(user)
        .filter(placement_id=placement.pk)
        .select_related("payer_school")
        .order_by("period_start", "kind", "pk")
    )
    by_payer: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        kinds = by_payer.setdefault(line.payer_name, {kind: Decimal("0.00") for kind in FundingLine.Kind.values})
        kinds[line.kind] += line.amount
    totals = [
        PayerTotal(
            payer=payer,
            place_funding=kinds[FundingLine.Kind.PLACE_FUNDING],
            top_up=kinds[FundingLine.Kind.TOP_UP],
        )
        for payer, kinds in by_payer.items()
    ]
    return FundingSummary(
        lines=lines,
        totals_by_payer=totals,
        total=sum((line.amount for line in lines), Decimal("0.00")),
        warnings=funding_warnings(placement=placement) if role_of(user) in FINANCE_READERS else [],
    )
