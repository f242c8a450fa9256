"""Spend: what AP cost in the period, by payer, by provider and by route, the cost per child-week, and the AP schools
arranged themselves beside the LA's (issue 14; seed 004 section 9, York's cost of AP to the whole local system).

Every pound is the finance app's, not worked out again here (finance.forum, the Schools Forum report's reads, asked
for the period's days instead of a financial year):

- the LA's spend is the High Needs Block outturn's actuals to date and commitments on the period's days
  (`spend_parts_between`), by provider and by route as the Schools Forum report groups them (`spend_of`): for a
  financial year they are its figures to the penny;
- schools pay the top-ups the LA recharges them (funding.recharges: `school_paid_lines`, cut at the period as a
  statement cuts them at a billing term, `owed_by_term`) and the AP they arranged themselves (`bought_between`: its
  weekly cost accrued by the day);
- other: the DfE pays AP academies' and free schools' commissioned places directly (`paid_by_dfe_between`).

Cost per child-week: all that spend over the child-weeks in AP, counted in calendar weeks: each placement's days in
the period, from its start to its end, else its planned end, else 31 August (the days it is funded for,
funding.periods.funding_period), over 7. Calendar weeks, not the 38 school weeks of a year, because the money
accrues by the calendar day (funding.periods): a school-week figure would be this times 365/(38 x 7).

Narrowing the dashboard (a tier, a school, a need...) narrows the money to the placements chosen. Commissioned places
are paid for whoever fills them (decision 0029), so a narrowed page leaves them out, and says so.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, DateField, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Greatest, Least

from aphub.core.figures import Figure, bar_figure
from aphub.core.money import to_money
from aphub.finance.forum import Spend, bought_between, paid_by_dfe_between, spend_of, spend_parts_between
from aphub.finance.rules import ZERO
from aphub.funding.periods import Period
from aphub.funding.recharges.billing import owed_by_term
from aphub.funding.recharges.queries import school_paid_lines
from aphub.organisations.models import Payer, User
from aphub.placements.models import Placement, PlacementReason, SettingCategory
from aphub.placements.school_arranged.queries import IN_AP_STATES, SETTING

from . import Dashboard
from .filters import DashboardFilters

DAYS_A_WEEK = 7
ONE_DAY = datetime.timedelta(days=1)
LA_PAYER = "The local authority (High Needs Block)"
SCHOOLS_PAYER = "Schools"
OTHER_PAYER = "Other: the DfE, for AP academies' places"
THROUGH_THE_LA = "Placements made through AP Hub"
BY_SCHOOLS = "AP schools recorded arranging themselves"
ARRANGED_BY = {Payer.LA: "Arranged by the LA", Payer.SCHOOL: "Arranged by schools"}
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class SpendInPeriod:
    """The period's money, each part read from finance and funding, with the child-weeks it paid for."""

    by_provider: list[Spend]
    by_route: list[Spend]
    la_total: Spend
    school_top_ups: Decimal  # funding lines schools pay for placements the LA arranged
    school_bought: Decimal  # the AP schools arranged themselves
    bought_by_setting: list
    dfe: Decimal | None  # None when the page is narrowed: commissioned places are no child's
    weeks_through_the_la: Decimal
    weeks_by_schools: Decimal

    @property
    def by_payer(self) -> dict[str, Decimal | None]:
        return {
            LA_PAYER: self.la_total.total,
            SCHOOLS_PAYER: self.school_top_ups + self.school_bought,
            OTHER_PAYER: self.dfe,
        }

    @property
    def total(self) -> Decimal:
        return sum((amount for amount in self.by_payer.values() if amount is not None), ZERO)

    @property
    def through_the_la(self) -> Decimal:
        return self.total - self.school_bought


def _funded_days(filters: DashboardFilters) -> ExpressionWrapper:
    """Each placement's funded days in the period (funding.periods.funding_period), as a duration: from its start to
    its end, else its planned end, else 31 August of the academic year it started in. The period lies inside one
    academic year, so a placement with neither end that started before it was funded only to an earlier 31 August."""
    year_start = datetime.date(filters.academic_year, 9, 1)
    last = Case(
        When(end_date__isnull=False, then=F("end_date")),
        When(planned_end_date__isnull=False, then=F("planned_end_date")),
        When(start_date__gte=year_start, then=Value(filters.end)),
        default=Value(year_start - ONE_DAY),
        output_field=DateField(),
    )
    first = Greatest(F("start_date"), Value(filters.start), output_field=DateField())
    return ExpressionWrapper(
        Least(last, Value(filters.end), output_field=DateField()) - first, output_field=DurationField()
    )


def child_weeks(placements: QuerySet[Placement], filters: DashboardFilters) -> tuple[Decimal, Decimal]:
    """(through AP Hub, recorded by schools): the child-weeks in AP of the placements in the period, in one query.
    A placement funded for none of the period's days (its planned end passed before it) adds nothing."""
    funded = (
        filters.overlapping(placements)
        .filter(status__in=IN_AP_STATES)
        .annotate(funded=_funded_days(filters))
        .filter(funded__gte=datetime.timedelta(0))
    )
    # The difference of two dates leaves out the first day: one a placement.
    sums = funded.aggregate(
        la_span=Sum("funded", filter=Q(recorded_by_school=False)),
        la_count=Count("id", filter=Q(recorded_by_school=False)),
        school_span=Sum("funded", filter=Q(recorded_by_school=True)),
        school_count=Count("id", filter=Q(recorded_by_school=True)),
    )

    def weeks(span: datetime.timedelta | None, count: int) -> Decimal:
        days = (span.days if span else 0) + count
        return Decimal(days) / DAYS_A_WEEK

    return weeks(sums["la_span"], sums["la_count"]), weeks(sums["school_span"], sums["school_count"])


def spend_in(user: User, filters: DashboardFilters) -> SpendInPeriod:
    """The period's money from finance and funding, narrowed to the chosen placements when the page is narrowed."""
    chosen = filters.placement_q()
    parts = spend_parts_between(user, filters.start, filters.end)
    narrowed = filters.narrowed()
    if narrowed:
        ids = set(filters.overlapping(filters.placements(user)).values_list("id", flat=True))
        parts = [(figure, part) for figure, part in parts if part.placement_id in ids]
    by_provider, by_route, la_total = spend_of(parts)
    period = Period(name=filters.label, start=filters.start, end=filters.end)
    lines = school_paid_lines(user).filter(period_start__lte=filters.end, period_end__gte=filters.start)
    owed = owed_by_term(lines.filter(filters.placement_q("placement__")).order_by(), [period])
    bought = bought_between(user, filters.start, filters.end, chosen=chosen)
    weeks_la, weeks_schools = child_weeks(filters.placements(user), filters)
    return SpendInPeriod(
        by_provider=by_provider,
        by_route=by_route,
        la_total=la_total,
        school_top_ups=sum((part.amount for part in owed.values()), ZERO),
        school_bought=bought.total.cost,
        bought_by_setting=bought.by_setting,
        dfe=None if narrowed else paid_by_dfe_between(user, filters.start, filters.end),
        weeks_through_the_la=weeks_la,
        weeks_by_schools=weeks_schools,
    )


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _per_week(amount: Decimal, weeks: Decimal) -> Decimal | None:
    return to_money(amount / weeks) if weeks else None


def by_payer(spend: SpendInPeriod, filters: DashboardFilters) -> Figure:
    payers = spend.by_payer
    share = f" ({spend.la_total.total / spend.total:.0%})" if spend.total else ""
    left_out = (
        " Commissioned places, and the DfE's place funding, are paid for whoever fills them, so this narrowed view "
        "leaves them out."
        if spend.dfe is None
        else ""
    )
    return bar_figure(
        "by-payer",
        f"Spend on AP by who pays, {filters.label}",
        f"{_pounds(spend.total)} spent on AP in the period, {_pounds(spend.la_total.total)}{share} of it by the LA "
        f"from its High Needs Block. Schools paid {_pounds(spend.school_top_ups)} in top-ups the LA recharges and "
        f"{_pounds(spend.school_bought)} for the AP they arranged themselves.{left_out}",
        list(payers),
        {"Spend": list(payers.values())},
        category_heading="Who pays",
        money=True,
    )


def _spend_figure(key: str, what: str, heading: str, rows: list[Spend], total: Spend, filters) -> Figure:
    most = f", the most {what} {rows[0].name} ({_pounds(rows[0].total)})" if rows else ""
    return bar_figure(
        key,
        f"High Needs Block spend on AP by {heading.lower()}, {filters.label}",
        f"{_pounds(total.total)} of the LA's spend in the period: {_pounds(total.actuals)} paid to date and "
        f"{_pounds(total.commitments)} committed{most}.",
        [row.name for row in rows],
        {"Actuals to date": [row.actuals for row in rows], "Commitments": [row.commitments for row in rows]},
        category_heading=heading,
        stacked=True,
        money=True,
    )


def cost_per_child_week(spend: SpendInPeriod, filters: DashboardFilters) -> Figure:
    weeks_all = spend.weeks_through_the_la + spend.weeks_by_schools
    groups = {
        THROUGH_THE_LA: (spend.through_the_la, spend.weeks_through_the_la),
        BY_SCHOOLS: (spend.school_bought, spend.weeks_by_schools),
        "All AP": (spend.total, weeks_all),
    }
    each = "; ".join(f"{name.lower()}, {_pounds(amount)} over {weeks:,.1f}" for name, (amount, weeks) in groups.items())
    cost = _per_week(spend.total, weeks_all)
    return bar_figure(
        "cost-per-child-week",
        f"Cost of AP per child-week, {filters.label}",
        (f"{_pounds(cost)} a child-week" if cost is not None else "No child was in AP")
        + f" ({each} child-weeks). A child-week is seven days of a placement in the period, from its start to its end "
        "(else its planned end, else 31 August: the days it is funded for).",
        list(groups),
        {"Cost per child-week": [_per_week(amount, weeks) for amount, weeks in groups.values()]},
        category_heading="Placements",
        money=True,
    )


def _children_by(placements: QuerySet[Placement], field: str) -> dict[tuple[str, str], int]:
    """(value of `field`, who arranged it) -> children, one GROUP BY."""
    rows = placements.values(field, "commissioner").annotate(children=Count("pupil_id", distinct=True))
    return {(row[field], row["commissioner"]): row["children"] for row in rows}


def _arranged_figure(
    key: str, title: str, heading: str, counted: dict[tuple[str, str], int], choices: list[tuple[str, str]], each: str
) -> Figure:
    series = {label: [counted.get((value, payer), 0) for value, _ in choices] for payer, label in ARRANGED_BY.items()}
    by_schools = sum(series[ARRANGED_BY[Payer.SCHOOL]])
    by_la = sum(series[ARRANGED_BY[Payer.LA]])
    return bar_figure(
        key,
        title,
        f"{by_schools} child{'ren' if by_schools != 1 else ''} in AP schools arranged, beside {by_la} in AP the LA "
        f"arranged (a child {each} counts in each).",
        [label for _, label in choices],
        series,
        category_heading=heading,
    )


def arranged(user: User, filters: DashboardFilters) -> list[Figure]:
    """Children in AP by type of setting and by placement reason, those schools arranged beside the LA's."""
    placements = filters.overlapping(filters.placements(user)).filter(status__in=IN_AP_STATES)
    reasons = list(PlacementReason.choices)
    by_reason = _children_by(placements, "placement_reason")
    if any(value == "" for value, _ in by_reason):
        # The LA's own placements carry no census reason: shown, so each column adds up to its children.
        reasons.append(("", NOT_RECORDED))
    return [
        _arranged_figure(
            "by-setting",
            f"Children in AP by type of setting and who arranged it, {filters.label}",
            "Type of setting",
            # The type of setting joins each placement's provider: only this query needs it.
            _children_by(placements.annotate(setting_category=SETTING), "setting_category"),
            list(SettingCategory.choices),
            "at two types of setting",
        ),
        _arranged_figure(
            "by-reason",
            f"Children in AP by placement reason and who arranged it, {filters.label}",
            "Reason",
            by_reason,
            reasons,
            "placed for two reasons",
        ),
    ]


def bought_by_setting(spend: SpendInPeriod, filters: DashboardFilters) -> Figure:
    rows = spend.bought_by_setting
    return bar_figure(
        "bought-by-setting",
        f"What schools paid for the AP they arranged themselves, by type of setting, {filters.label}",
        f"{_pounds(spend.school_bought)} for the AP schools recorded arranging themselves, costed by the day from the "
        "weekly cost they gave.",
        [row.name for row in rows],
        {"Cost in the period": [row.cost for row in rows]},
        category_heading="Type of setting",
        money=True,
    )


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    spend = spend_in(user, filters)
    return [
        by_payer(spend, filters),
        _spend_figure("by-provider", "at", "Provider", spend.by_provider, spend.la_total, filters),
        _spend_figure("by-route", "on", "Route", spend.by_route, spend.la_total, filters),
        cost_per_child_week(spend, filters),
        *arranged(user, filters),
        bought_by_setting(spend, filters),
    ]


DASHBOARD = Dashboard(
    slug="spend",
    title="Spend on AP",
    description="What AP cost in the period: by who pays, provider and route, the cost per child-week, and the AP "
    "schools arranged themselves beside the LA's.",
    build=build,
)
