"""Demand forecasts, and the rolling-origin backtest that chooses their method (issue 14).

A series is counts over regular periods (terms or years), oldest first, None where a count is missing (a DfE `c`, `x`
or `z`). The backtest stands at each origin in turn (after `min_train` observed periods), forecasts the next
`horizon` periods with every candidate method from the history before the origin alone, and scores the forecasts
against what happened: a method's backtest MAE is its mean absolute error over every held-out point (Hyndman and
Athanasopoulos, 'Forecasting: principles and practice', 3rd ed., 5.10, "time series cross-validation").

The candidates (`METHODS`): the benchmarks, naive (the last value) and seasonal naive (the value a season ago; for
yearly series, with no season, it is naive itself), and statsforecast's random walk with drift and AutoETS, a
pooled trend (every series' last value moved by half the growth of all the series together in the last period,
when several series are forecast together: the LAs of a DfE file move with the national trend) and an ensemble
(the mean of naive, ETS and the pooled trend or drift). The chosen method is the one with the lowest backtest MAE
over all the series forecast together; ties go to the simpler, naive first.

Honesty: the method with the lowest backtest MAE is chosen after seeing the backtest, so its own backtest MAE flatters
it. The figure compared with naive (`Backtest.selected_mae`) is instead the MAE of the forecasts the choosing would
have made: at each origin the method is chosen from the errors of earlier origins only (those whose held-out periods
had happened by then), naive when there are none yet. The same forecasts give the empirical coverage of the 80% and
95% intervals.

statsforecast (and pandas and numba under it) takes seconds to import, so it is imported inside the functions that
use it: Django starts without it (commands, tests). The production WSGI application pays it as a worker boots
(`warm_up`, called by aphub.wsgi), not at the first forecast a user asks for.
"""

import csv
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from statistics import NormalDist

from aphub.core.errors import DomainError

from .dfe import SUPPRESSED

NAIVE, SEASONAL_NAIVE, DRIFT, ETS, POOLED, ENSEMBLE = (
    "naive",
    "seasonal-naive",
    "drift",
    "ets",
    "pooled-trend",
    "ensemble",
)
METHODS = {
    NAIVE: "Naive (last value)",
    SEASONAL_NAIVE: "Seasonal naive (same period last year)",
    DRIFT: "Random walk with drift",
    ETS: "Exponential smoothing (AutoETS)",
    POOLED: "Pooled trend (half the growth of all series)",
    ENSEMBLE: "Ensemble (mean of naive, ETS and trend)",
}
# Each method in a sentence ("forecast by ...").
NAMES = {
    NAIVE: "naive",
    SEASONAL_NAIVE: "seasonal naive",
    DRIFT: "random walk with drift",
    ETS: "exponential smoothing (ETS)",
    POOLED: "pooled trend",
    ENSEMBLE: "the ensemble",
}
LEVELS = (80, 95)
# The pooled trend's damping: half the last period's growth of all the series together. Trends in exclusions turn
# (national permanent exclusions fell from 2006/07 to 2012/13, then rose), so a full trend overshoots at the turns;
# Gardner and McKenzie's damped trend is the classic answer.
POOLED_DAMPING = 0.5
# AutoETS refuses "tiny datasets" below 7 points (more for a seasonal model): it falls back to naive below this.
ETS_MIN_POINTS = 7
_Z = {level: NormalDist().inv_cdf(0.5 + level / 200) for level in LEVELS}


@dataclass(frozen=True)
class Prediction:
    """A forecast of the next periods: its point values and its 80% and 95% intervals (lower, upper)."""

    mean: list[float]
    intervals: dict[int, tuple[list[float], list[float]]]
    fell_back: bool = False  # the method could not fit this history: naive's forecast stands in for it


@dataclass
class SeriesBacktest:
    """One series' backtest: each method's absolute errors over the held-out points, and those of the honest
    choosing (`selected`), with whether each held-out point fell in the chosen forecast's intervals."""

    name: str
    errors: dict[str, list[float]] = field(default_factory=dict)
    selected: list[float] = field(default_factory=list)
    selected_methods: list[str] = field(default_factory=list)
    hits: dict[int, list[bool]] = field(default_factory=dict)
    fallbacks: dict[str, int] = field(default_factory=dict)

    @property
    def points(self) -> int:
        return len(self.selected)


@dataclass
class Backtest:
    """The backtest of one or more series forecast together, and the method it chose."""

    methods: list[str]
    series: list[SeriesBacktest]
    horizon: int
    skipped: list[str]  # series too short (or too empty) to backtest

    def mae(self, method: str) -> float | None:
        return _mean([error for one in self.series for error in one.errors.get(method, [])])

    @property
    def chosen(self) -> str:
        return _lowest({method: self.mae(method) for method in self.methods})

    @property
    def selected_mae(self) -> float | None:
        return _mean([error for one in self.series for error in one.selected])

    @property
    def naive_mae(self) -> float | None:
        return self.mae(NAIVE)

    @property
    def ratio(self) -> float | None:
        model, naive = self.selected_mae, self.naive_mae
        return None if model is None or not naive else model / naive

    def coverage(self, level: int) -> float | None:
        """The share of held-out points inside the chosen forecasts' `level`% interval."""
        hits = [hit for one in self.series for hit in one.hits.get(level, [])]
        return sum(hits) / len(hits) if hits else None

    @property
    def points(self) -> int:
        return sum(one.points for one in self.series)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _lowest(maes: Mapping[str, float | None]) -> str:
    """The method of lowest MAE; in `METHODS` order on a tie, so the simpler wins; naive when nothing is scored."""
    scored = [(mae, index, method) for index, (method, mae) in enumerate(maes.items()) if mae is not None]
    return min(scored)[2] if scored else NAIVE


def _filled(values: Sequence[float | None]) -> list[float]:
    """Interior gaps filled by straight lines between their neighbours, for fitting only: a missing point is never
    scored. The caller trims leading and trailing gaps."""
    filled = [float("nan") if value is None else float(value) for value in values]
    known = [index for index, value in enumerate(filled) if not math.isnan(value)]
    for left, right in zip(known, known[1:], strict=False):
        for index in range(left + 1, right):
            share = (index - left) / (right - left)
            filled[index] = filled[left] + share * (filled[right] - filled[left])
    return filled


def pooled_growth(columns: Sequence[Sequence[float | None]], at: int) -> float | None:
    """All the series' growth into period `at - 1`: their sum there over their sum a period before, counting only
    series with both values. None without two such periods or when the earlier sum is 0."""
    if at < 2:
        return None
    pairs = [(col[at - 1], col[at - 2]) for col in columns if col[at - 1] is not None and col[at - 2] is not None]
    before = sum(pair[1] for pair in pairs)
    return sum(pair[0] for pair in pairs) / before if pairs and before > 0 else None


def forecast(
    history: Sequence[float],
    horizon: int,
    *,
    season_length: int = 1,
    growth: float | None = None,
    methods: Sequence[str] | None = None,
    intervals: bool = True,
) -> dict[str, Prediction]:
    """The forecasts of the next `horizon` periods from `history` (no gaps) by `methods` (every candidate: the pooled
    trend only given a `growth`). A method that cannot fit (too short a history, a failed fit) falls back to naive's
    forecast, marked `fell_back`. Without `intervals`, points only (statsforecast's intervals cost most of the time)."""
    import numpy as np
    from statsforecast.models import AutoETS

    y = np.asarray(history, dtype=float)
    levels = list(LEVELS) if intervals else []
    wanted = list(methods or [m for m in METHODS if m != POOLED or growth is not None])
    made: dict[str, Prediction] = {}

    def fitted(model) -> Prediction | None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = model.forecast(y=y, h=horizon, level=levels or None)
        except Exception:  # noqa: BLE001 (statsforecast raises many kinds on a history it cannot fit)
            return None
        mean = [float(value) for value in np.asarray(result["mean"])]
        bands = {
            level: (
                [float(value) for value in np.asarray(result[f"lo-{level}"])],
                [float(value) for value in np.asarray(result[f"hi-{level}"])],
            )
            for level in levels
        }
        numbers = [*mean, *(v for pair in bands.values() for side in pair for v in side)]
        return Prediction(mean, bands) if all(math.isfinite(v) for v in numbers) else None

    def benchmark(mean: list[float], residuals: list[float], spread: list[float]) -> Prediction:
        """A benchmark's forecast with normal intervals: sigma from its one-step residuals, widened by `spread` for
        each period ahead (Hyndman and Athanasopoulos, 5.5, table 5.2). Written out rather than asking statsforecast,
        whose intervals take milliseconds each (a test checks they agree)."""
        # One point has no residual, so no spread to measure: the point itself, with no width, is all there is.
        sigma = math.sqrt(sum(r * r for r in residuals) / len(residuals)) if residuals else 0.0
        return Prediction(
            mean,
            {
                level: (
                    [m - _Z[level] * sigma * k for m, k in zip(mean, spread, strict=True)],
                    [m + _Z[level] * sigma * k for m, k in zip(mean, spread, strict=True)],
                )
                for level in levels
            },
        )

    steps = range(1, horizon + 1)
    last = float(y[-1])

    def naive() -> Prediction:
        residuals = [float(b - a) for a, b in zip(y, y[1:], strict=False)]
        return benchmark([last] * horizon, residuals, [math.sqrt(step) for step in steps])

    def or_naive(prediction: Prediction | None) -> Prediction:
        return prediction if prediction is not None else Prediction(naive().mean, naive().intervals, fell_back=True)

    def centred(mean: list[float]) -> Prediction:
        """A point forecast given naive's interval widths: the random walk's spread around the method's own path."""
        base = naive()
        return Prediction(
            mean,
            {
                level: (
                    [m - (p - lo) for m, p, lo in zip(mean, base.mean, lower, strict=True)],
                    [m + (hi - p) for m, p, hi in zip(mean, base.mean, upper, strict=True)],
                )
                for level, (lower, upper) in base.intervals.items()
            },
        )

    def seasonal() -> Prediction:
        m = season_length
        if m == 1:
            return naive()  # no season: the same period last year is the last period
        if len(y) <= m:
            return or_naive(None)
        residuals = [float(b - a) for a, b in zip(y, y[m:], strict=False)]
        mean = [float(y[len(y) - m + (step - 1) % m]) for step in steps]
        return benchmark(mean, residuals, [math.sqrt((step - 1) // m + 1) for step in steps])

    def drift() -> Prediction:
        if len(y) < 3:
            return or_naive(None)
        slope = (last - float(y[0])) / (len(y) - 1)
        residuals = [float(b - a) - slope for a, b in zip(y, y[1:], strict=False)]
        spread = [math.sqrt(step * (1 + step / (len(y) - 1))) for step in steps]
        return benchmark([last + slope * step for step in steps], residuals, spread)

    def ets() -> Prediction:
        # One model for a seasonal series (level and additive season: AutoETS's full search takes ~100 ms a fit),
        # AutoETS's choice of the non-seasonal ones otherwise, or when the seasonal one cannot fit.
        if ETS not in made:
            found = None
            if season_length > 1 and len(y) >= max(ETS_MIN_POINTS, 2 * season_length + 3):
                found = fitted(AutoETS(season_length=season_length, model="ANA"))
            if found is None and len(y) >= ETS_MIN_POINTS:
                found = fitted(AutoETS(season_length=1, model="ZZN"))
            made[ETS] = or_naive(found)
        return made[ETS]

    def pooled() -> Prediction:
        if growth is None:
            return or_naive(None)  # no growth to pool yet: naive until there is
        step = 1 + POOLED_DAMPING * (growth - 1)
        return centred([float(y[-1]) * step**ahead for ahead in range(1, horizon + 1)])

    def ensemble() -> Prediction:
        parts = (naive().mean, ets().mean, (pooled() if growth is not None else drift()).mean)
        return centred([sum(values) / len(parts) for values in zip(*parts, strict=True)])

    makers = {NAIVE: naive, SEASONAL_NAIVE: seasonal, DRIFT: drift, ETS: ets, POOLED: pooled, ENSEMBLE: ensemble}
    return {method: _non_negative(makers[method]()) for method in wanted}


def warm_up() -> None:
    """Import statsforecast and fit AutoETS once (numba compiles its code at the first fit), so that a web worker
    does it while it boots (aphub.wsgi) rather than during a user's first forecast (about 2 s)."""
    forecast([float(value % 4) for value in range(ETS_MIN_POINTS + 2)], 1, methods=[ETS], intervals=True)


def _non_negative(prediction: Prediction) -> Prediction:
    """Children are counted: nothing below 0, in the forecast or its intervals."""
    return Prediction(
        [max(0.0, value) for value in prediction.mean],
        {
            level: ([max(0.0, value) for value in lower], [max(0.0, value) for value in upper])
            for level, (lower, upper) in prediction.intervals.items()
        },
        prediction.fell_back,
    )


@dataclass
class _Origin:
    """One series' forecasts from one origin in the backtest: what they were made from and their errors."""

    origin: int
    series: SeriesBacktest
    history: list[float]
    growth: float | None
    targets: list[tuple[int, float]]  # (periods ahead - 1, the value that happened)
    errors: dict[str, float] = field(default_factory=dict)  # each method's absolute errors, summed


def backtest(
    series: Mapping[str, Sequence[float | None]],
    *,
    horizon: int = 1,
    season_length: int = 1,
    min_train: int = 4,
    max_origins: int | None = None,
) -> Backtest:
    """The rolling-origin backtest of `series` (each aligned on the same periods, None where missing): at each origin
    with at least `min_train` observed periods before it and its last period observed, every method forecasts the
    next `horizon` periods; each observed one is scored. The pooled trend joins when there are several series; the
    method is chosen over all of them together (one LA's few years are too few to choose from: `Backtest` notes)."""
    columns = list(series.values())
    pooled = len(columns) > 1
    methods = [NAIVE, SEASONAL_NAIVE, DRIFT, ETS, *([POOLED] if pooled else []), ENSEMBLE]
    results: dict[str, SeriesBacktest] = {}
    made: list[_Origin] = []
    for name, values in series.items():
        one = SeriesBacktest(name=name, errors={method: [] for method in methods}, hits={level: [] for level in LEVELS})
        results[name] = one
        filled = _filled(values)
        first = next((index for index, value in enumerate(values) if value is not None), len(values))
        origins = range(first + 1, len(values))
        if max_origins is not None:
            origins = range(max(first + 1, len(values) - horizon + 1 - max_origins), len(values))
        for origin in origins:
            observed = sum(value is not None for value in values[first:origin])
            if observed < min_train or values[origin - 1] is None:
                continue
            ahead_values = [(ahead, values[origin + ahead]) for ahead in range(horizon) if origin + ahead < len(values)]
            targets = [(ahead, float(actual)) for ahead, actual in ahead_values if actual is not None]
            if not targets:
                continue
            at = _Origin(origin, one, filled[first:origin], pooled_growth(columns, origin) if pooled else None, targets)
            predictions = forecast(
                at.history, horizon, season_length=season_length, growth=at.growth, methods=methods, intervals=False
            )
            for method in methods:
                one.fallbacks[method] = one.fallbacks.get(method, 0) + predictions[method].fell_back
                errors = [abs(predictions[method].mean[ahead] - actual) for ahead, actual in targets]
                one.errors[method] += errors
                at.errors[method] = sum(errors)
            made.append(at)
    # The honest choice at each origin: from the errors of earlier origins whose held-out periods had all happened.
    totals = dict.fromkeys(methods, 0.0)
    counted = 0
    made.sort(key=lambda at: at.origin)
    pending = list(made)
    for at in made:
        while pending and pending[0].origin + horizon <= at.origin:
            earlier = pending.pop(0)
            for method in methods:
                totals[method] += earlier.errors[method]
            counted += len(earlier.targets)
        choice = _lowest({method: totals[method] / counted if counted else None for method in methods})
        # The chosen forecast again, with its intervals: only the chosen one's are needed, and they take the time.
        chosen = forecast(at.history, horizon, season_length=season_length, growth=at.growth, methods=[choice])[choice]
        for ahead, actual in at.targets:
            at.series.selected.append(abs(chosen.mean[ahead] - actual))
            at.series.selected_methods.append(choice)
            for level in LEVELS:
                lower, upper = chosen.intervals[level]
                at.series.hits[level].append(lower[ahead] <= actual <= upper[ahead])
    tested = [one for one in results.values() if one.selected]
    skipped = [one.name for one in results.values() if not one.selected]
    return Backtest(methods=methods, series=tested, horizon=horizon, skipped=skipped)


@dataclass(frozen=True)
class DemandForecast:
    """A series' forecast by the method its backtest chose, with the backtest beside it."""

    backtest: Backtest
    method: str
    prediction: Prediction


def demand_forecast(
    values: Sequence[float | None],
    horizon: int,
    *,
    season_length: int = 1,
    min_train: int = 4,
    max_origins: int | None = None,
) -> DemandForecast:
    """One series backtested one period ahead (at its latest `max_origins` origins, or all), then forecast `horizon`
    periods on by the chosen method. Its first and last values are known; a missing one between them (a DfE `c`) is
    never scored, and is filled by a straight line for fitting only."""
    tested = backtest(
        {"series": list(values)},
        horizon=1,
        season_length=season_length,
        min_train=min_train,
        max_origins=max_origins,
    )
    method = tested.chosen
    predictions = forecast(_filled(values), horizon, season_length=season_length, methods=[method])
    return DemandForecast(backtest=tested, method=method, prediction=predictions[method])


class SeriesFileError(DomainError):
    """A DfE-shaped file that cannot give series: the sentence says what to fix."""


@dataclass(frozen=True)
class SeriesFile:
    """Series read from a DfE-shaped file: the periods in order and each group's values on them (None: missing)."""

    periods: list[str]
    series: dict[str, list[float | None]]


def read_dfe_series(path: Path, *, period: str, group: str, value: str, where: Mapping[str, str]) -> SeriesFile:
    """One series per `group` from a DfE-shaped CSV file: of the rows matching every `where` (column = value), the
    values of the same group and period summed (several rows of one LA in a year, e.g. after a boundary change); a
    suppressed value (`c`, `x`, `z`) or a blank is missing, and a group's period is missing when all its values are.
    Periods sort as text, as the DfE writes them (201617, 2016/17)."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise SeriesFileError(f"Cannot read {path}: {error.strerror or error}") from None
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        unknown = [name for name in (period, group, value, *where) if name not in columns]
        if unknown:
            raise SeriesFileError(
                f"{path.name} has no column {', '.join(repr(name) for name in unknown)}; its columns are "
                f"{', '.join(columns) or 'none'}"
            )
        sums: dict[tuple[str, str], Decimal | None] = {}
        try:
            for row in reader:
                if any((row[column] or "").strip() != wanted for column, wanted in where.items()):
                    continue
                key = ((row[group] or "").strip(), (row[period] or "").strip())
                sums[key] = _added(sums.get(key), row[value], row_number=reader.line_num, column=value)
        except (UnicodeDecodeError, csv.Error) as error:
            raise SeriesFileError(f"{path.name} is not a CSV file in UTF-8: {error}") from None
    if not any(total is not None for total in sums.values()):
        condition = " where " + ", ".join(f"{k}={v}" for k, v in where.items()) if where else ""
        raise SeriesFileError(f"{path.name} has no numeric values in column '{value}'{condition}")
    periods = sorted({key[1] for key in sums})
    groups = sorted({key[0] for key in sums})
    series = {
        name: [None if sums.get((name, at)) is None else float(sums[(name, at)]) for at in periods] for name in groups
    }
    return SeriesFile(periods=periods, series=series)


def number_in(text: str | None) -> Decimal | None:
    """A DfE file's value: None where it is suppressed (`c`, `x`, `z`...) or blank; raises ValueError when it is
    neither a number nor suppressed. Thousands may be written with commas."""
    cleaned = (text or "").strip().replace(",", "")
    if not cleaned or cleaned.lower() in SUPPRESSED:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(cleaned) from None
    if not number.is_finite():
        raise ValueError(cleaned)
    return number


def added(total: Decimal | None, number: Decimal | None) -> Decimal | None:
    """Rows of the same group and period summed: missing only while every one of them is."""
    if number is None:
        return total
    return number if total is None else total + number


def _added(total: Decimal | None, text: str | None, *, row_number: int, column: str) -> Decimal | None:
    try:
        return added(total, number_in(text))
    except ValueError:
        raise SeriesFileError(f"Line {row_number}: '{text}' in column '{column}' is not a number") from None
