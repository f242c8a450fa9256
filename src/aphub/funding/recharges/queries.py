"""Reads of recharge statements, always from `visible_to(user)`: the LA's staff and finance officer see their LA's
statements, a school its own once issued, providers none. A draft's lines are worked out here, live, from the
school-paid funding lines the user may see."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Min, QuerySet, Sum

from aphub.core.clock import today

from ..models import FundingLine, RechargeLine, RechargeStatement, SchoolPaysDecision
from ..periods import Period, academic_year_of, billing_term_of, billing_terms_of_academic_year, financial_year_of
from ..planning import paying_school, payments_for, place_funding_rate
from ..queries import DoubleFunded
from ..rules import DOUBLE_FUNDED_LINES, double_funding
from .billing import Billed, Key, billing_terms_between, owed_by_term, statement_lines

# What the double-funding rule and the pages read of a placement, through its funding line.
PLACEMENT_READS = (
    "placement__pupil",
    "placement__provision",
    "placement__route",
    "placement__episode__route",
    "placement__episode__school",
    "placement__commissioning_school",
    "placement__school_pays_decision",
)
# Statements whose lines are frozen and owed: what later statements adjust.
BILLED_STATES = (
    RechargeStatement.Status.ISSUED,
    RechargeStatement.Status.DISPUTED,
    RechargeStatement.Status.PAID,
)


def statements_visible_to(user) -> QuerySet[RechargeStatement]:
    return RechargeStatement.objects.visible_to(user)


def statement_for(user, pk: int) -> RechargeStatement | None:
    return statements_visible_to(user).select_related("school", "local_authority").filter(pk=pk).first()


def term_of(statement: RechargeStatement) -> Period:
    return Period(name=statement.term_name, start=statement.term_start, end=statement.term_end)


def current_term() -> Period:
    return billing_term_of(today())


def terms_for(user) -> list[Period]:
    """The billing terms of the academic years the user has statements or school-paid lines in, and this one, latest
    first."""
    years = {academic_year_of(today())}
    years |= set(statements_visible_to(user).order_by().values_list("academic_year", flat=True).distinct())
    bounds = school_paid_lines(user).order_by().aggregate(first=Min("period_start"), last=Max("period_end"))
    if bounds["first"] is not None:
        years |= set(range(academic_year_of(bounds["first"]), academic_year_of(bounds["last"]) + 1))
    terms = [term for year in years for term in billing_terms_of_academic_year(year)]
    return sorted(terms, key=lambda term: term.start, reverse=True)


def school_paid_lines(user) -> QuerySet[FundingLine]:
    """The funding lines schools pay for placements the LA arranged (seed 004 section 7): a school's own record of AP
    it arranged (decision 0026) is paid by the school to the provider, never recharged."""
    return FundingLine.objects.visible_to(user).filter(
        payer=FundingLine.Payer.SCHOOL, placement__recorded_by_school=False
    )


@dataclass(frozen=True)
class StatementTotal:
    statement: RechargeStatement
    total: Decimal


def statements_in(user, term: Period) -> list[StatementTotal]:
    """The term's statements the user sees, by school, each with its total (worked out live for a draft)."""
    found = (
        statements_visible_to(user)
        .filter(term_start=term.start)
        .select_related("school")
        .annotate(billed=Sum("lines__amount"))
        .order_by("school__name", "pk")
    )
    rows = []
    for statement in found:
        if statement.status == RechargeStatement.Status.DRAFT:
            total = sum((line.amount for line in draft_lines(user, statement)), Decimal("0.00"))
        else:
            total = statement.billed or Decimal("0.00")
        rows.append(StatementTotal(statement=statement, total=total))
    return rows


def schools_owing(user, term: Period) -> list[int]:
    """Ids of the schools that may owe for the term: those paying lines in it, and those billed before it (whose
    earlier terms may need adjusting)."""
    paying = set(
        school_paid_lines(user)
        .filter(period_start__lte=term.end, period_end__gte=term.start)
        .order_by()
        .values_list("payer_school_id", flat=True)
        .distinct()
    )
    billed_before = set(
        statements_visible_to(user)
        .filter(status__in=BILLED_STATES, term_start__lt=term.start)
        .order_by()
        .values_list("school_id", flat=True)
        .distinct()
    )
    return sorted(paying | billed_before)


@dataclass(frozen=True)
class Child:
    """What a statement line says of the child and the placement, as it is now (a draft) or was at issue."""

    pupil_id: int
    child_name: str
    upn: str
    provision_name: str


def _billed_before(statement: RechargeStatement) -> tuple[dict[Key, Billed], dict[int, Child]]:
    """What the school's statements issued for earlier terms billed, by placement, kind and term, and the children
    those lines named."""
    rows = RechargeLine.objects.filter(
        statement__school_id=statement.school_id,
        statement__local_authority_id=statement.local_authority_id,
        statement__status__in=BILLED_STATES,
        statement__term_start__lt=statement.term_start,
    ).exclude(statement_id=statement.pk)
    days: dict[Key, int] = defaultdict(int)
    amounts: dict[Key, Decimal] = defaultdict(lambda: Decimal("0.00"))
    terms: dict[Key, Period] = {}
    children: dict[int, Child] = {}
    for row in rows.order_by("statement__term_start", "pk"):
        key = (row.placement_number, row.funding_kind, row.term_start)
        days[key] += row.days
        amounts[key] += row.amount
        terms[key] = billing_term_of(row.term_start)
        children[row.placement_number] = Child(row.pupil_id, row.child_name, row.upn, row.provision_name)
    return {key: Billed(terms[key], days[key], amounts[key]) for key in terms}, children


def lines_of(user, statement: RechargeStatement) -> list[RechargeLine]:
    """The statement's lines: those frozen at issue, or for a draft those it would issue now (unsaved), charges first
    (by child), then adjustments to earlier terms."""
    if statement.status != RechargeStatement.Status.DRAFT:
        return list(statement.lines.all())
    return draft_lines(user, statement)


def draft_lines(user, statement: RechargeStatement) -> list[RechargeLine]:
    """What the statement would bill if issued now: the school's charges for its term, and for each earlier term
    already billed the difference between what is owed now and what was billed (a credit when it is less)."""
    term = term_of(statement)
    billed, billed_children = _billed_before(statement)
    first_day = min([term.start, *(was.term.start for was in billed.values())])
    funding_lines = list(
        school_paid_lines(user)
        .filter(
            local_authority_id=statement.local_authority_id,
            payer_school_id=statement.school_id,
            period_start__lte=term.end,
            period_end__gte=first_day,
        )
        .select_related("placement__pupil", "placement__provision")
    )
    owed = owed_by_term(funding_lines, billing_terms_between(first_day, term.end))
    children = dict(billed_children)
    for line in funding_lines:
        pupil = line.placement.pupil
        children[line.placement_id] = Child(pupil.pk, pupil.full_name, pupil.upn, line.placement.provision.name)
    lines = [
        RechargeLine(
            statement=statement,
            kind=RechargeLine.Kind.ADJUSTMENT if due.is_adjustment else RechargeLine.Kind.CHARGE,
            funding_kind=due.kind,
            placement_number=due.placement_id,
            pupil_id=children[due.placement_id].pupil_id,
            child_name=children[due.placement_id].child_name,
            upn=children[due.placement_id].upn,
            provision_name=children[due.placement_id].provision_name,
            term_name=due.term.name,
            term_start=due.term.start,
            days=due.days,
            amount=due.amount,
        )
        for due in statement_lines(term=term, owed=owed, billed=billed)
    ]
    return sorted(lines, key=_line_order)


def _line_order(line: RechargeLine) -> tuple:
    return (line.kind != RechargeLine.Kind.CHARGE, line.child_name, line.placement_number, line.term_start)


@dataclass(frozen=True)
class Totals:
    charges: Decimal
    adjustments: Decimal

    @property
    def total(self) -> Decimal:
        return self.charges + self.adjustments


def totals_of(lines: list[RechargeLine]) -> Totals:
    return Totals(
        charges=sum((line.amount for line in lines if line.kind == RechargeLine.Kind.CHARGE), Decimal("0.00")),
        adjustments=sum((line.amount for line in lines if line.kind != RechargeLine.Kind.CHARGE), Decimal("0.00")),
    )


def double_funded_of(user, statement: RechargeStatement) -> list[DoubleFunded]:
    """Placements in the financial year of the statement's term whose top-up the LA pays though the statement's
    school should (funding.rules.double_funding): what a finance officer resolves on the statement.

    Found from the funding lines the user sees (funding.rules.DOUBLE_FUNDED_LINES) and read through them, as the
    rest of funding reads placements: the LA's finance officer sees the LA's lines.
    """
    financial_year = financial_year_of(statement.term_start)
    lines = FundingLine.objects.visible_to(user).filter(DOUBLE_FUNDED_LINES, financial_year=financial_year)
    top_ups: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    placements = {}
    for line in lines.select_related(*PLACEMENT_READS).order_by("placement__start_date", "placement_id", "pk"):
        top_ups[line.placement_id] += line.amount
        placements[line.placement_id] = line.placement
    rate = place_funding_rate(statement.local_authority_id)
    found = []
    for placement_id, placement in placements.items():
        school = paying_school(placement)
        if school is None or school.pk != statement.school_id:
            continue
        warning = double_funding(placement, payments_for(placement, place_funding=rate))
        if warning:
            found.append(DoubleFunded(placement=placement, top_up=top_ups[placement_id], warning=warning))
    return found


def decisions_for_school(user, statement: RechargeStatement) -> QuerySet[SchoolPaysDecision]:
    """The LA's decisions that this school pays a top-up the LA was paying twice, newest first (the LA's staff)."""
    return (
        SchoolPaysDecision.objects.visible_to(user).filter(school_id=statement.school_id).select_related("decided_by")
    )


def term_by_start(user, start: datetime.date | None) -> Period | None:
    for term in terms_for(user):
        if term.start == start:
            return term
    return None


def placement_for(user, pk: int):
    """A placement the user sees a funding line of, read through that line with what the double-funding rule reads;
    None when there is none."""
    line = FundingLine.objects.visible_to(user).filter(placement_id=pk).select_related(*PLACEMENT_READS).first()
    return line.placement if line is not None else None
