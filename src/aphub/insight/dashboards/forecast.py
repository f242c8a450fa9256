"""Forecast: how many children will need AP in the next terms and years, from the LA's own history, and the LA's
published DfE series (its permanent exclusions, say) for the next years beside it (issue 14).

What is forecast is demand: the children starting a placement in each term (a child starting two placements in a
term is one child), not the children in AP. Starts are the children newly needing a place, what sufficiency
planning provides for; the children in AP at a time follow from starts and how long placements last (the capacity
simulation works that way), and a count of children in AP would carry the same long placements from term to term.
Only placements that started (active or ended) count: an offer never taken up was not a child in AP.

The history is every complete term (or school year) from the LA's first recorded start to the last one before
today, from one aggregate query counting them by term and by year (a child starting in two terms of a year is one
child that year). Each series (all children, each phase, each tier) is forecast by the method its own rolling-origin
backtest chose (insight.forecasting), shown beside it: each method's mean absolute error one period ahead, naive and
seasonal naive included. A series with too little history says so instead of forecasting. Phase is the child's
phase when the placement started (the DfE's rule on the date of birth, as filters.born_in_years), so the dashboard's
own phase and key stage filters, fixed to the chosen year, do not apply.

A published series (insight.models.PublishedSeries, loaded by the LA's officers from one of the DfE's files on the
published series page) is yearly, so it is forecast as the LA's own school years are: the next YEARS_AHEAD years by
the method its own backtest chose against naive (seasonal naive is naive for a yearly series), its backtest on the
same figure as the others'. The filters do not narrow it: the DfE publishes the LA's whole figure.
"""

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan, Range

from aphub.core.clock import today
from aphub.core.days.school_years import school_year_start
from aphub.core.figures import Figure, bar_figure, line_figure
from aphub.core.figures import Value as FigureValue
from aphub.insight.forecasting import LEVELS, METHODS, NAIVE, NAMES, DemandForecast, demand_forecast
from aphub.insight.models import PublishedSeries
from aphub.organisations.models import User
from aphub.organisations.navigation import may_open
from aphub.organisations.queries import membership_of
from aphub.placements.models import Placement, Tier

from . import Dashboard
from .filters import PHASES, TERMS, DashboardFilters, academic_year_label

STARTED = (Placement.Status.ACTIVE, Placement.Status.ENDED)
TERMS_AHEAD, YEARS_AHEAD = 3, 2
# Enough history to score a backtest: two school years of terms (a season for seasonal naive, three origins after a
# first three terms), or four years (two origins after two). Fewer, and the page says so instead of forecasting.
MIN_TERMS, MIN_YEARS = 6, 4
# The backtest scores the latest origins only: the recent past is what the next terms resemble, and each origin
# costs a fit of every method (`make bench` measures the page).
MAX_ORIGINS = 6
HONEST = "Chosen as it went (each time from the past only)"
TERM_NAMES = [label.removesuffix(" term") for label, *_ in TERMS.values()]  # autumn, spring, summer


@dataclass(frozen=True)
class Breakdown:
    """A way of splitting the children: its series, each a name and the aggregate that counts it."""

    key: str
    title: str
    series: dict[str, str]  # name shown -> the aggregate's alias


BREAKDOWNS = [
    Breakdown("all", "all children", {"Children": "children"}),
    Breakdown("phase", "by phase", {label.split(" (")[0]: f"phase_{key}" for key, (label, *_) in PHASES.items()}),
    Breakdown("tier", "by tier", {f"Tier {tier.value}": f"tier_{tier.value}" for tier in Tier}),
]
# The aggregates' aliases, in the order _counts counts them: all children, each phase, each tier.
ALIASES = ["children", *(f"phase_{key}" for key in PHASES), *(f"tier_{tier.value}" for tier in Tier)]


def _started(user: User, filters: DashboardFilters, before: datetime.date) -> QuerySet[Placement]:
    """The placements that started before `before`, with the school year and term they started in and the child's
    national curriculum year then (filters.born_in_years: year Y in the school year starting in A when born in the
    twelve months from 1 September A-Y-5)."""
    unphased = dataclasses.replace(filters, phase="", key_stage="")
    # A school year is named by the calendar year of its September: a date before September is in the year before.
    school_year = YearOf("start_date") - _one_if(LessThan(MonthOf("start_date"), 9))
    born_in = YearOf("pupil__date_of_birth") - _one_if(LessThan(MonthOf("pupil__date_of_birth"), 9))
    return (
        unphased.placements(user)
        .filter(status__in=STARTED, start_date__lt=before)
        .annotate(
            school_year=Cast(school_year, IntegerField()),
            # The school year times 3, plus 0 in autumn (September to December), 1 in spring (January to March) and
            # 2 in summer (April to August): one whole number to group by, in order.
            term_key=Cast(school_year, IntegerField()) * 3
            + _one_if(LessThan(MonthOf("start_date"), 9))
            + _one_if(Range(MonthOf("start_date"), (4, 8))),
            curriculum_year=school_year - born_in - Value(5),
        )
    )


def _one_if(condition: LessThan | Range) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


class _DatePart:
    """A date's year or month as a whole number. On PostgreSQL, date_part() rather than the EXTRACT Django writes:
    EXTRACT returns numeric since PostgreSQL 14, and its numeric arithmetic over the large LA's 51,000 placements (four
    extracts a row) was most of the forecast's query (make bench); date_part's double precision is exact for these."""

    lookup_name: str

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)  # type: ignore[attr-defined]
        return f"date_part('{self.lookup_name}', {sql})::integer", params


class YearOf(_DatePart, ExtractYear):
    pass


class MonthOf(_DatePart, ExtractMonth):
    pass


def _counts(placements: QuerySet[Placement]) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """Children starting in each term and in each school year (by their keys): all, in each phase and in each tier
    (distinct children), in one aggregate query. The started placements are read once (a materialised common table
    expression) and counted twice, by term and by year, joined by UNION ALL; with each count over the subquery's
    plain columns rather than expressions, this is a quarter of the time of two queries of the same counts on the
    large LA (make bench). Django's ORM writes neither a common table expression nor a union of two groupings
    counted from one, so the outer query is written here, around the ORM's own SQL and parameters."""
    started = placements.values("pupil_id", "term_key", "school_year", "curriculum_year", "tier")
    inner, inner_params = started.query.sql_with_params()
    aggregates, params = ["COUNT(DISTINCT pupil_id)"], []
    for _, first, last in PHASES.values():
        aggregates.append("COUNT(DISTINCT pupil_id) FILTER (WHERE curriculum_year BETWEEN %s AND %s)")
        params += [first, last]
    for tier in Tier:
        aggregates.append("COUNT(DISTINCT pupil_id) FILTER (WHERE tier = %s)")
        params.append(tier.value)
    counted = ", ".join(aggregates)
    # The ORM's SQL and our own aggregates around it; every value is a parameter.
    by_term = f"SELECT 0, term_key, {counted} FROM started GROUP BY term_key"  # noqa: S608
    by_year = f"SELECT 1, school_year, {counted} FROM started GROUP BY school_year"  # noqa: S608
    sql = f"WITH started AS MATERIALIZED ({inner}) {by_term} UNION ALL {by_year}"
    with connections[placements.db].cursor() as cursor:
        cursor.execute(sql, [*inner_params, *params, *params])
        rows = cursor.fetchall()
    terms: dict[int, dict[str, int]] = {}
    years: dict[int, dict[str, int]] = {}
    for is_year, key, *counts in rows:
        (years if is_year else terms)[key] = dict(zip(ALIASES, counts, strict=True))
    return terms, years


@dataclass(frozen=True)
class History:
    """Counts over consecutive periods, oldest first, and how each breakdown's series were forecast."""

    unit: str  # "term" or "year"
    periods: list[str]
    first_key: int  # the first period's key: the school year times 3 plus the term (0 autumn), or the school year
    counts: dict[str, Sequence[float | None]]  # by aggregate alias (None: a year the DfE suppressed)
    ahead: list[str]  # the periods forecast


def term_label(key: int) -> str:
    year, term = divmod(key, 3)
    return f"{TERM_NAMES[term]} {academic_year_label(year)}"


def _this_term(day: datetime.date) -> tuple[int, int, datetime.date]:
    """The school year `day` is in, its term's key (the year times 3 plus 0 autumn, 1 spring, 2 summer) and the
    term's first day: the terms before it are complete."""
    this_year = school_year_start(day).year
    term_now = 0 if day.month >= 9 else 1 if day.month <= 3 else 2
    return (
        this_year,
        this_year * 3 + term_now,
        datetime.date(this_year + (term_now > 0), *TERMS[list(TERMS)[term_now]][1]),
    )


def _history(unit: str, rows: dict[int, dict[str, int]], now: int, ahead: int, label, aliases: list[str]) -> History:
    """The counts of `rows` (by period key) over every period from the first with a start to the one before `now`,
    none counted 0, and the `ahead` periods from `now` to forecast."""
    keys = range(min((key for key in rows if key < now), default=now), now)
    return History(
        unit,
        [label(at) for at in keys],
        keys.start,
        {alias: [rows.get(at, {}).get(alias, 0) for at in keys] for alias in aliases},
        [label(at) for at in range(now, now + ahead)],
    )


def histories(user: User, filters: DashboardFilters, day: datetime.date) -> tuple[History, History]:
    """The complete terms' and school years' counts up to `day` (one aggregate query). The placements read are those
    started before this term; of them, those of this school year's complete terms are left out of the years'."""
    this_year, term_now, first_of_term = _this_term(day)
    by_term, by_year = _counts(_started(user, filters, first_of_term))
    return (
        _history("term", by_term, term_now, TERMS_AHEAD, term_label, ALIASES),
        _history("year", by_year, this_year, YEARS_AHEAD, academic_year_label, ALIASES),
    )


# School days in the autumn, spring and summer terms: a school year's 190 (capacity.SCHOOL_DAYS) as English schools
# usually split them, about fourteen weeks in the autumn and twelve in each of the others.
TERM_SCHOOL_DAYS = (70, 60, 60)


@dataclass(frozen=True)
class ForecastArrivals:
    """The children forecast to start in the next three terms (a school year), as the dashboard forecasts them."""

    terms: list[str]
    children: list[float]  # in each of the terms
    method: str
    rates: list[float]  # children starting each school day of the year: each term's forecast over its school days

    @property
    def total(self) -> float:
        return sum(self.children)


def forecast_arrivals(user: User, filters: DashboardFilters, day: datetime.date) -> ForecastArrivals | None:
    """The coming year's arrivals for the capacity simulation (sufficiency): the forecast of the children starting in
    each of the next three terms, of all children or of the chosen phase, from the same history by the same backtest
    and method as the dashboard's own figure. Only that one series is counted (one COUNT DISTINCT by term, a third of
    the time of the dashboard's every series by term and year). None with fewer than MIN_TERMS complete terms, or
    when a key stage is chosen (the dashboard forecasts none)."""
    if filters.key_stage:
        return None
    _, term_now, first_of_term = _this_term(day)
    placements = _started(user, filters, first_of_term)
    if filters.phase:
        _, first, last = PHASES[filters.phase]
        placements = placements.filter(curriculum_year__range=(first, last))
    rows = {
        row["term_key"]: row
        for row in placements.values("term_key").annotate(children=Count("pupil_id", distinct=True)).order_by()
    }
    terms = _history("term", rows, term_now, TERMS_AHEAD, term_label, ["children"])
    counts = terms.counts["children"]
    if len(counts) < MIN_TERMS:
        return None
    made = demand_forecast(
        counts, TERMS_AHEAD, season_length=len(TERMS), min_train=MIN_TERMS - 3, max_origins=MAX_ORIGINS
    )
    rates: list[float] = []
    for ahead, children in enumerate(made.prediction.mean):
        days = TERM_SCHOOL_DAYS[(term_now + ahead) % 3]
        rates += [children / days] * days
    return ForecastArrivals(terms=terms.ahead, children=made.prediction.mean, method=made.method, rates=rates)


def _rounded(values: Sequence[float]) -> list[FigureValue]:
    return [round(value, 1) for value in values]


def _series_figure(
    breakdown: Breakdown,
    history: History,
    forecasts: dict[str, DemandForecast | None],
    *,
    what: str = "",
    counted: str = " starting",
    held: str = "",
) -> Figure:
    """One breakdown's history and forecast over `history`'s periods, with the 80% and 95% intervals. `what` titles
    it, `counted` follows each series' name for its history, `held` says what the history is when too short."""
    unit, minimum = history.unit, MIN_TERMS if history.unit == "term" else MIN_YEARS
    periods = [*history.periods, *history.ahead]
    gap: list[FigureValue] = [None] * len(history.ahead)
    before: list[FigureValue] = [None] * len(history.periods)
    series: dict[str, list[FigureValue]] = {}
    intervals: dict[str, tuple[list[FigureValue], list[FigureValue]]] = {}
    sentences = []
    for name, alias in breakdown.series.items():
        counts = history.counts[alias]
        series[f"{name}{counted}"] = [*counts, *gap]
        made = forecasts.get(name)
        if made is None:
            continue
        prediction = made.prediction
        series[f"{name}: forecast"] = [*before, *_rounded(prediction.mean)]
        for level in LEVELS:
            lower, upper = prediction.intervals[level]
            intervals[f"{name}: {level}% interval"] = ([*before, *_rounded(lower)], [*before, *_rounded(upper)])
        low, high = prediction.intervals[80]
        sentences.append(
            f"{name}: {prediction.mean[0]:.0f} in {history.ahead[0]} (80% interval {low[0]:.0f} to {high[0]:.0f}), "
            f"by {NAMES[made.method]}."
        )
    what = what or f"Children starting AP each {unit}, {breakdown.title}"
    if not history.periods:
        summary = f"No child has started a placement in a complete {unit} yet, so there is nothing to forecast from."
    elif not sentences:
        plural = "s" if len(history.periods) != 1 else ""
        summary = (
            (held or f"AP Hub holds {len(history.periods)} complete {unit}{plural} of starts")
            + f", from {history.periods[0]}; a forecast needs at least {minimum} so that its method can be tested on "
            "the past, so there is no forecast yet."
        )
    else:
        summary = f"Forecast for the next {len(history.ahead)} {unit}s. " + " ".join(sentences)
    span = f"{periods[0]} to {periods[-1]}" if periods else "no history"
    return line_figure(
        f"{breakdown.key}-{unit}s",
        f"{what}, {span}",
        summary,
        periods,
        series,
        period_heading="Term" if unit == "term" else "School year",
        intervals=intervals,
    )


def _backtest_figure(tested: dict[str, DemandForecast]) -> Figure:
    """Each forecast's backtest: every method's mean absolute error one period ahead, the chosen one named."""
    methods = list(METHODS)
    shown = [method for method in methods if any(method in made.backtest.methods for made in tested.values())]
    categories = [f"{name} (chose {NAMES[made.method]})" for name, made in tested.items()]

    def two_places(value: float | None) -> FigureValue:
        return None if value is None else round(value, 2)

    series: dict[str, list[FigureValue]] = {
        METHODS[method]: [two_places(made.backtest.mae(method)) for made in tested.values()] for method in shown
    }
    # The honest figure: the method chosen at each origin from the origins before it (insight.forecasting).
    series[HONEST] = [two_places(made.backtest.selected_mae) for made in tested.values()]
    if tested:
        name, first = next(iter(tested.items()))
        unit = name.split(", ")[-1].removesuffix("s")
        coverage = first.backtest.coverage(80)
        summary = (
            f"Each forecast's method has the lowest mean absolute error over its backtest, where it forecast each past "
            f"{unit} from the ones before. {name}: {NAMES[first.method]} erred by "
            f"{first.backtest.mae(first.method):.1f} children on average, naive by {first.backtest.mae(NAIVE):.1f}, "
            f"and the method chosen at each {unit} from the {unit}s before it by {first.backtest.selected_mae:.1f}"
            + (f"; {coverage:.0%} of the past values fell inside the 80% interval." if coverage is not None else ".")
        )
    else:
        summary = "No series has enough history for a backtest yet, so no method has been chosen."
    return bar_figure(
        "backtest",
        "How well each forecasting method did on the past (mean absolute error, children)",
        summary,
        categories,
        series,
        category_heading="Series forecast",
    )


def _published_figures(user: User, tested: dict[str, DemandForecast]) -> list[Figure]:
    """Each of the LA's published DfE series (insight.models.PublishedSeries) with its forecast for the next
    YEARS_AHEAD years, by the method its own backtest chose, as the LA's own yearly series are; its backtest joins
    `tested`. A year the DfE suppressed is a gap, before the first and after the last known year left out."""
    figures = []
    for index, series in enumerate(PublishedSeries.objects.visible_to(user).order_by("measure", "pk"), start=1):
        values = series.values
        known = [at for at, value in enumerate(values) if value is not None]
        kept = range(known[0], known[-1] + 1) if known else range(0)
        years = [series.years[at] for at in kept]
        counts = [values[at] for at in kept]
        last = years[-1] if years else 0
        history = History(
            "year",
            [academic_year_label(year) for year in years],
            years[0] if years else 0,
            {"published": counts},
            [academic_year_label(year) for year in range(last + 1, last + 1 + YEARS_AHEAD)],
        )
        forecasts: dict[str, DemandForecast | None] = {}
        if len(counts) >= MIN_YEARS:
            made = demand_forecast(counts, YEARS_AHEAD, min_train=MIN_YEARS - 3, max_origins=MAX_ORIGINS)
            forecasts[series.measure] = tested[f"{series.measure} (published by the DfE), years"] = made
        span = f"{history.periods[0]} to {history.ahead[-1]}" if years else "no history"
        figures.append(
            _series_figure(
                Breakdown(f"published-{index}", series.measure, {series.measure: "published"}),
                history,
                forecasts,
                what=f"{series.measure}, as the DfE published them ({series.value_column}), {span}",
                counted=" (published)",
                held=f"The published series holds {len(years)} year{'s' if len(years) != 1 else ''}",
            )
        )
    return figures


def published_series_aside(user: User) -> dict:
    """The page's sentence on the LA's published series: which are forecast, or how to load one."""
    return {
        "published_series": list(PublishedSeries.objects.visible_to(user).order_by("measure", "pk")),
        "can_load_series": may_open(membership_of(user), "insight:published-series"),
    }


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    terms, years = histories(user, filters, today())
    figures: list[Figure] = []
    tested: dict[str, DemandForecast] = {}
    for history, ahead, minimum, season in (
        (terms, TERMS_AHEAD, MIN_TERMS, len(TERMS)),
        (years, YEARS_AHEAD, MIN_YEARS, 1),
    ):
        for breakdown in BREAKDOWNS:
            forecasts: dict[str, DemandForecast | None] = {}
            for name, alias in breakdown.series.items():
                counts = history.counts[alias]
                if len(counts) >= minimum:
                    made = demand_forecast(
                        counts, ahead, season_length=season, min_train=minimum - 3, max_origins=MAX_ORIGINS
                    )
                    forecasts[name] = tested[f"{name}, {history.unit}s"] = made
            figures.append(_series_figure(breakdown, history, forecasts))
    figures += _published_figures(user, tested)
    return [*figures, _backtest_figure(tested)]


DASHBOARD = Dashboard(
    slug="forecast",
    title="Forecast of children needing AP",
    description=(
        "How many children will start AP in the next three terms and two school years, in all and by phase and "
        "tier, forecast from the LA's own placements by the method that did best on the past. The phase and key "
        "stage filters do not apply: each child's phase is the one they were in when their placement started."
    ),
    build=build,
    aside_template="insight/dashboards/_published_series.html",
    aside=published_series_aside,
)
