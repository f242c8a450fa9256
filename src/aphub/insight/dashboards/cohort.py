"""Cohort: the children in AP in the period and on each school census day in it, and who they are (issue 14): by
tier, route, primary need, year group, sex, SEN status, free school meals, looked-after status and ethnic group.

Counts of children, not placements: a child in two placements in the period is one child. A child is in AP on a day
from their placement's start to its end once the place is taken up (accepted, active or ended; an offer not yet
accepted or a cancelled one is no AP), as the city-wide view counts them. The census days are the DfE's (core.days.
census); one still to come is not counted. The counts are GROUP BYs over the placements with a conditional count of
distinct children for the period and for each census day: one for the totals and the census trend, one for tier, one
for route, and one for each batch of a child's own characteristics (counted_by), six queries whatever the LA's size.

The characteristics of a child that pupils.sensitive guards (SEN status and primary need, ethnicity, looked-after
status) are shown only to the roles that may read them on a child's page: an auditor sees the cohort by tier, route,
year group, sex and free school meals only. Counts of a handful of children with a filter on a school or a locality
could otherwise tell who they are.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Expression, F, IntegerField, Q, QuerySet, Value, When

from aphub.core.clock import today
from aphub.core.days.census import SchoolCensus, school_census_days
from aphub.core.figures import Figure, bar_figure, line_figure
from aphub.organisations.models import User
from aphub.placements.models import Placement, Route, Tier
from aphub.placements.school_arranged.queries import IN_AP_STATES
from aphub.pupils.models import ETHNIC_GROUPS, Pupil
from aphub.pupils.sensitive import sensitive_fields_for

from . import Dashboard
from .filters import DashboardFilters, born_in_years

# The census days of the period's academic year and of the years before it drawn in the trend.
TREND_YEARS = 3
IN_PERIOD = "In the period"
YEAR_GROUPS = [(year, "Reception" if year == 0 else f"Year {year}") for year in range(14)]
OUTSIDE_YEARS = -1
NOT_RECORDED = "Not recorded"
SEN_STATUSES = [
    (Pupil.SenStatus.NONE.value, "No SEN"),
    (Pupil.SenStatus.SEN_SUPPORT.value, "SEN support"),
    (Pupil.SenStatus.EHC_PLAN.value, "EHC plan"),
]
UNOBTAINED_ETHNICITY = "Refused or not obtained"


@dataclass(frozen=True)
class Characteristic:
    """What the children are counted by, and how its figure speaks of them.

    `grouped_by` is an expression on Placement giving each placement's category; `categories` the (value, label) rows
    in order. `optional` rows are left out when no child is in them (the year groups AP rarely holds, a need nobody
    has). The summary names `highlight`'s children (their sum) or, when it is empty, the largest category other than
    `unknown`. `sensitive` is the pupil field read (pupils.sensitive decides who sees the figure). `per_placement`: a
    child may be in two categories in the period (two placements of different tiers) and counts in each."""

    key: str
    heading: str
    named: str  # in a sentence: "the children in AP by {named}"
    grouped_by: Expression | F
    categories: Sequence[tuple[object, str]]
    sentence: str  # with {n}, {total}, {share}, {label} and {period}
    highlight: Collection[object] = ()
    unknown: Collection[object] = ()
    optional: Collection[object] = ()
    sensitive: str = ""
    batch: str = ""  # counted in one query with the others of its batch (counted_by); "" alone
    per_placement: bool = False


def _running(first: datetime.date, last: datetime.date) -> Q:
    """Placements running on at least one day from `first` to `last` (started by `last`, not ended before `first`)."""
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def _children(when: Q | None = None) -> Count:
    return Count("pupil_id", distinct=True, filter=when)


def _in_ap(user: User, filters: DashboardFilters) -> QuerySet[Placement]:
    """The user's placements matching the filters that put a child in AP, whatever their dates."""
    return filters.placements(user).filter(status__in=IN_AP_STATES)


def _censuses(filters: DashboardFilters, first_year: int) -> list[SchoolCensus]:
    """The census days from the academic year `first_year` to the end of the period, those still to come left out."""
    last = min(filters.end, today())
    return [
        census
        for year in range(first_year, filters.academic_year + 1)
        for census in school_census_days(year)
        if census.day <= last
    ]


def _year_group(academic_year: int) -> Case:
    """The child's national curriculum year in `academic_year`, from their date of birth (filters.born_in_years)."""
    return Case(
        *(
            When(pupil__date_of_birth__range=born_in_years(academic_year, year, year), then=Value(year))
            for year, _ in YEAR_GROUPS
        ),
        default=Value(OUTSIDE_YEARS),
        output_field=IntegerField(),
    )


ETHNIC_GROUP = Case(
    *(When(pupil__ethnicity__in=codes, then=Value(group)) for group, codes in ETHNIC_GROUPS.items()),
    default=Value(UNOBTAINED_ETHNICITY),
    output_field=CharField(),
)


def characteristics(filters: DashboardFilters, routes: Sequence[Route]) -> list[Characteristic]:
    return [
        Characteristic(
            key="by-tier",
            heading="Tier",
            named="tier",
            grouped_by=F("tier"),
            categories=Tier.choices,
            sentence="Most children in AP in {period} were in {label} ({n} of {total}, {share}).",
            per_placement=True,
        ),
        Characteristic(
            key="by-route",
            heading="Route",
            named="route",
            grouped_by=F("route_id"),
            categories=[(route.pk, route.name) for route in routes],
            sentence="The most common route into AP in {period}: {label} ({n} of {total} children, {share}).",
            per_placement=True,
        ),
        Characteristic(
            key="by-primary-need",
            batch="need and ethnicity",
            heading="Primary need",
            named="primary need",
            grouped_by=F("pupil__primary_need"),
            categories=[*Pupil.PrimaryNeed.choices, ("", NOT_RECORDED)],
            sentence="The most common primary need of children in AP in {period}: {label} ({n} of {total}, {share}).",
            unknown=("",),
            optional=Pupil.PrimaryNeed.values,
            sensitive="primary_need",
        ),
        Characteristic(
            key="by-year-group",
            batch="child",
            heading="Year group",
            named="year group",
            grouped_by=_year_group(filters.academic_year),
            categories=[*YEAR_GROUPS, (OUTSIDE_YEARS, "Outside Reception to year 13")],
            sentence="Most children in AP in {period} were in {label} ({n} of {total}, {share}).",
            optional=[year for year, _ in YEAR_GROUPS] + [OUTSIDE_YEARS],
        ),
        Characteristic(
            key="by-sex",
            batch="child",
            heading="Sex",
            named="sex",
            grouped_by=F("pupil__sex"),
            categories=[(Pupil.Sex.MALE.value, "Boys"), (Pupil.Sex.FEMALE.value, "Girls"), ("", NOT_RECORDED)],
            sentence="{n} of the {total} children in AP in {period} were boys ({share}).",
            highlight=(Pupil.Sex.MALE.value,),
            optional=("",),
        ),
        Characteristic(
            key="by-sen-status",
            batch="child",
            heading="SEN status",
            named="SEN status",
            grouped_by=F("pupil__sen_status"),
            categories=SEN_STATUSES,
            sentence="{n} of the {total} children in AP in {period} had SEN support or an EHC plan ({share}).",
            highlight=(Pupil.SenStatus.SEN_SUPPORT.value, Pupil.SenStatus.EHC_PLAN.value),
            sensitive="sen_status",
        ),
        Characteristic(
            key="by-free-school-meals",
            batch="child",
            heading="Free school meals",
            named="free school meals eligibility",
            grouped_by=F("pupil__free_school_meals"),
            categories=[(True, "Eligible"), (False, "Not eligible")],
            sentence="{n} of the {total} children in AP in {period} were eligible for free school meals ({share}).",
            highlight=(True,),
        ),
        Characteristic(
            key="by-looked-after",
            batch="child",
            heading="Looked after",
            named="looked-after status",
            grouped_by=F("pupil__looked_after"),
            categories=[(True, "Looked after"), (False, "Not looked after")],
            sentence="{n} of the {total} children in AP in {period} were looked after by a local authority ({share}).",
            highlight=(True,),
            sensitive="looked_after",
        ),
        Characteristic(
            key="by-ethnic-group",
            batch="need and ethnicity",
            heading="Ethnic group",
            named="ethnic group",
            grouped_by=ETHNIC_GROUP,
            categories=[(group, group) for group in ETHNIC_GROUPS],
            sentence="The largest ethnic group of children in AP in {period} was {label} ({n} of {total}, {share}).",
            unknown=(UNOBTAINED_ETHNICITY,),
            sensitive="ethnicity",
        ),
    ]


def counted_by(
    user: User, filters: DashboardFilters, censuses: Sequence[SchoolCensus], batch: Sequence[Characteristic]
) -> dict[str, dict[object, Counter[str]]]:
    """The children in AP in the period and on each census day in it, by each characteristic of `batch`, in one query
    grouped by all of them at once: {key: {category: {"period" or "census_N": children}}}.

    The groups' counts of distinct children add up to each characteristic's own because a child has one value of
    each characteristic of a pupil (one sex, one year group): a batch of several holds those only. A placement's
    characteristic (tier, route) is a batch of its own, since one child may have two."""
    columns = {"period": _children(_running(filters.start, filters.end))}
    columns |= {f"census_{index}": _children(_running(census.day, census.day)) for index, census in enumerate(censuses)}
    grouped_by = {f"category_{index}": by.grouped_by for index, by in enumerate(batch)}
    rows = (
        _in_ap(user, filters)
        .filter(_running(filters.start, filters.end))
        .annotate(**grouped_by)
        .values(*grouped_by)
        .annotate(**columns)
    )
    counted: dict[str, dict[object, Counter[str]]] = {by.key: defaultdict(Counter) for by in batch}
    # The rows are groups, at most the product of the batch's categories (540 for year group, sex, SEN status, free
    # school meals and looked-after status), whatever the number of children.
    for row in rows:
        for name, by in zip(grouped_by, batch, strict=True):
            counted[by.key][row[name]].update({column: row[column] for column in columns})
    return counted


def children_by(
    by: Characteristic,
    filters: DashboardFilters,
    censuses: Sequence[SchoolCensus],
    total: int,
    found: dict[object, Counter[str]],
) -> Figure:
    """The figure of the children counted by one characteristic (`found`, from counted_by)."""
    shown = [(value, label) for value, label in by.categories if value not in by.optional or value in found]
    series = {IN_PERIOD: [found.get(value, Counter())["period"] for value, _ in shown]}
    for index, census in enumerate(censuses):
        series[census.name] = [found.get(value, Counter())[f"census_{index}"] for value, _ in shown]
    return bar_figure(
        by.key,
        f"Children in AP by {by.named}, {filters.label}",
        _summary(by, filters, shown, series[IN_PERIOD], total),
        [label for _, label in shown],
        series,
        category_heading=by.heading,
    )


def _summary(
    by: Characteristic, filters: DashboardFilters, shown: Sequence[tuple[object, str]], counts: list[int], total: int
) -> str:
    if not total:
        return f"No child was in AP in {filters.label}."
    if by.highlight:
        n = sum(count for (value, _), count in zip(shown, counts, strict=True) if value in by.highlight)
        label = ""
    else:
        known = [(count, label) for (value, label), count in zip(shown, counts, strict=True) if value not in by.unknown]
        n, label = max(known, key=lambda pair: pair[0], default=(0, ""))
        if not n:
            return f"No child in AP in {filters.label} has their {by.named} recorded."
    share = f"{round(100 * n / total)}%"
    sentence = by.sentence.format(n=f"{n:,}", total=f"{total:,}", share=share, label=label, period=filters.label)
    if by.per_placement:
        sentence += f" A child placed in more than one {by.named} in the period counts in each."
    return sentence


def by_census_day(filters: DashboardFilters, censuses: Sequence[SchoolCensus], counts: Sequence[int]) -> Figure:
    """The children in AP on each census day of the period's academic year and the years before it."""
    first, last = censuses[0], censuses[-1]
    summary = f"{counts[-1]:,} child{'ren were' if counts[-1] != 1 else ' was'} in AP on {last.named}"
    if len(censuses) > 1:
        summary += f", against {counts[0]:,} on {first.named}"
    return line_figure(
        "by-census-day",
        f"Children in AP on each school census day, {first.day:%B %Y} to {last.day:%B %Y}",
        summary + ".",
        [census.name for census in censuses],
        {"Children in AP": list(counts)},
        period_heading="Census day",
    )


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    trend = _censuses(filters, filters.academic_year - TREND_YEARS + 1)
    first = min([filters.start, *(census.day for census in trend)])
    counted = (
        _in_ap(user, filters)
        .filter(_running(first, filters.end))
        .aggregate(
            total=_children(_running(filters.start, filters.end)),
            **{f"census_{index}": _children(_running(census.day, census.day)) for index, census in enumerate(trend)},
        )
    )
    total = counted["total"]
    figures = []
    if trend:
        figures.append(by_census_day(filters, trend, [counted[f"census_{index}"] for index in range(len(trend))]))
    in_period = [census for census in trend if census.day >= filters.start]
    routes = list(Route.objects.visible_to(user).order_by("position", "name"))
    readable = sensitive_fields_for(user)
    shown = [by for by in characteristics(filters, routes) if not by.sensitive or by.sensitive in readable]
    found: dict[str, dict[object, Counter[str]]] = {}
    for batch in dict.fromkeys(by.batch or by.key for by in shown):
        found |= counted_by(user, filters, in_period, [by for by in shown if (by.batch or by.key) == batch])
    figures += [children_by(by, filters, in_period, total, found[by.key]) for by in shown]
    return figures


DASHBOARD = Dashboard(
    slug="cohort",
    title="Children in AP",
    description="Who is in alternative provision in the period and on each school census day: by tier, route, "
    "primary need, year group and characteristics.",
    build=build,
)
