"""Forecast: how many children will need AP in the next terms and years, from the LA's own history (issue 14).

What is forecast is demand: the children starting a placement in each term (a child starting two placements in a
term is one child), not the children in AP. Starts are the children newly needing a place, what sufficiency
planning provides for; the children in AP at a time follow from starts and how long placements last (the capacity
simulation works that way), and a count of children in AP would carry the same long placements from term to term.
Only placements that started (active or ended) count: an offer never taken up was not a child in AP.

The history is every complete term (or school year) from the LA's first recorded start to the last one before
today, from one aggregate query for the terms and one for the years (a child starting in two terms of a year is one
child that year). Each series (all children, each phase, each tier) is forecast by the method its own rolling-origin
backtest chose (insight.forecasting), shown beside it: each method's mean absolute error one period ahead, naive and
seasonal naive included. A series with too little history says so instead of forecasting. Phase is the child's
phase when the placement started (the DfE's rule on the date of birth, as filters.born_in_years), so the dashboard's
own phase and key stage filters, fixed to the chosen year, do not apply.
"""

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractYear

from aphub.core.clock import today
from aphub.core.days.school_years import school_year_start
from aphub.core.figures import Figure, bar_figure, line_figure
from aphub.core.figures import Value as FigureValue
from aphub.insight.forecasting import LEVELS, METHODS, NAIVE, NAMES, DemandForecast, demand_forecast
from aphub.organisations.models import User
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


def _started(user: User, filters: DashboardFilters, before: datetime.date) -> QuerySet[Placement]:
    """The placements that started before `before`, with the school year and term they started in and the child's
    national curriculum year then (filters.born_in_years: year Y in the school year starting in A when born in the
    twelve months from 1 September A-Y-5)."""
    unphased = dataclasses.replace(filters, phase="", key_stage="")
    # A school year is named by the calendar year of its September: a date before September is in the year before.
    school_year = ExtractYear("start_date") - _one_if(start_date__month__lt=9)
    born_in = ExtractYear("pupil__date_of_birth") - _one_if(pupil__date_of_birth__month__lt=9)
    return (
        unphased.placements(user)
        .filter(status__in=STARTED, start_date__lt=before)
        .annotate(
            school_year=Cast(school_year, IntegerField()),
            # The school year times 3, plus 0 in autumn (September to December), 1 in spring (January to March) and
            # 2 in summer (April to August): one whole number to group by, in order.
            term_key=Cast(school_year, IntegerField()) * 3
            + _one_if(start_date__month__lt=9)
            + _one_if(start_date__month__range=(4, 8)),
            curriculum_year=school_year - born_in - Value(5),
        )
    )


def _one_if(**condition) -> Case:
    return Case(When(Q(**condition), then=Value(1)), default=Value(0), output_field=IntegerField())


def _counts(placements: QuerySet[Placement], key: str) -> list[dict]:
    """Children starting in each term or year (`key`): all, in each phase and in each tier (distinct children)."""
    counted = {"children": Count("pupil_id", distinct=True)}
    for phase, (_, first, last) in PHASES.items():
        counted[f"phase_{phase}"] = Count("pupil_id", distinct=True, filter=Q(curriculum_year__range=(first, last)))
    for tier in Tier:
        counted[f"tier_{tier.value}"] = Count("pupil_id", distinct=True, filter=Q(tier=tier.value))
    return list(placements.values(key).annotate(**counted).order_by(key))


@dataclass(frozen=True)
class History:
    """Counts over consecutive periods, oldest first, and how each breakdown's series were forecast."""

    unit: str  # "term" or "year"
    periods: list[str]
    counts: dict[str, list[int]]  # by aggregate alias
    ahead: list[str]  # the periods forecast


def term_label(key: int) -> str:
    year, term = divmod(key, 3)
    return f"{TERM_NAMES[term]} {academic_year_label(year)}"


def histories(user: User, filters: DashboardFilters, day: datetime.date) -> tuple[History, History]:
    """The complete terms' and school years' counts up to `day` (two aggregate queries)."""
    this_year = school_year_start(day).year
    term_now = 0 if day.month >= 9 else 1 if day.month <= 3 else 2
    first_of_term = datetime.date(this_year + (term_now > 0), *TERMS[list(TERMS)[term_now]][1])
    aliases = [alias for breakdown in BREAKDOWNS for alias in breakdown.series.values()]

    def history(unit: str, key: str, before: datetime.date, now: int, ahead: int, label) -> History:
        rows = {row[key]: row for row in _counts(_started(user, filters, before), key)}
        keys = range(min(rows, default=now), now)
        return History(
            unit,
            [label(at) for at in keys],
            {alias: [rows.get(at, {}).get(alias, 0) for at in keys] for alias in aliases},
            [label(at) for at in range(now, now + ahead)],
        )

    return (
        history("term", "term_key", first_of_term, this_year * 3 + term_now, TERMS_AHEAD, term_label),
        history("year", "school_year", datetime.date(this_year, 9, 1), this_year, YEARS_AHEAD, academic_year_label),
    )


def _rounded(values: Sequence[float]) -> list[FigureValue]:
    return [round(value, 1) for value in values]


def _series_figure(breakdown: Breakdown, history: History, forecasts: dict[str, DemandForecast | None]) -> Figure:
    """One breakdown's history and forecast over `history`'s periods, with the 80% and 95% intervals."""
    unit, minimum = history.unit, MIN_TERMS if history.unit == "term" else MIN_YEARS
    periods = [*history.periods, *history.ahead]
    gap: list[FigureValue] = [None] * len(history.ahead)
    before: list[FigureValue] = [None] * len(history.periods)
    series: dict[str, list[FigureValue]] = {}
    intervals: dict[str, tuple[list[FigureValue], list[FigureValue]]] = {}
    sentences = []
    for name, alias in breakdown.series.items():
        counts = history.counts[alias]
        series[f"{name} starting"] = [*counts, *gap]
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
    what = f"Children starting AP each {unit}, {breakdown.title}"
    if not history.periods:
        summary = f"No child has started a placement in a complete {unit} yet, so there is nothing to forecast from."
    elif not sentences:
        summary = (
            f"AP Hub holds {len(history.periods)} complete {unit}{'s' if len(history.periods) != 1 else ''} of starts, "
            f"from {history.periods[0]}; a forecast needs at least {minimum} so that its method can be tested on the "
            "past, so there is no forecast yet."
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


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    terms, years = histories(user, filters, today())
    figures, tested = [], {}
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
)
