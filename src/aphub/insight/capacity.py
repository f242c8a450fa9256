"""How many places the LA needs so that a chosen share of children start full-time AP within the sixth-day duty: a
Monte Carlo simulation, with numpy, of many school years of arrivals into a number of places (issue 14).

The duty: Education Act 1996 s.19 and the School Discipline (Pupil Exclusions and Reviews) (England) Regulations
2012 reg. 3 oblige the LA to arrange full-time education from the sixth school day of a permanent exclusion. A child
who arrives on a school day (day 1) starts in time when they start on or before day 6: after waiting at most five
school days (`ALLOWANCE`).

The model, for each number of places and each simulated year (all years at once, as numpy arrays):
- Children arrive on each of the year's school days in Poisson numbers at the given rate (forecast or observed
  arrivals per school day). Their lengths of stay, in school days, are drawn from the LA's ended placements (the
  empirical distribution, with replacement).
- A child takes a place as soon as one is free, first come first served (the waiting list is served in order of
  the statutory due date, which is the order of arrival); a place frees on the day its child's stay ends.
- A year does not start empty: it starts with the children in AP as they would be with unlimited places in the
  long run (their number Poisson with mean rate x mean stay, each with the rest of a stay still to run, drawn from
  the stationary residual of the lengths of stay). Those beyond the places wait first. Only the year's own arrivals
  are counted.
- Random numbers are shared between the numbers of places (the same arrivals and stays in each simulated year), so
  the curve of the share started in time against places rises steadily rather than by the noise of separate runs.

Time is counted in school days; a year is `SCHOOL_DAYS` of them (the DfE's 190 teaching days).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ALLOWANCE = 5  # school days a child may wait: arriving on day 1, starting by day 6 (s.19, reg. 3 above)
SCHOOL_DAYS = 190  # a school year's teaching days (The Education (School Day and School Year) (England) Regs 1999)
YEARS = 10_000
TARGETS = (0.90, 0.95, 0.99)
# One of the counts add.at adds, of their own type: numpy takes its fast path only when no value needs casting.
ONE = np.int32(1)
LANES = 20_000  # (number of places, year) lanes simulated at once
TABLE_LIMIT = 1_000_000  # the longest table of whole-number weights drawn from (8 MB)


@dataclass(frozen=True)
class CapacityCurve:
    """The share of children started within the sixth school day for each number of places."""

    places: list[int]
    share_in_time: list[float]  # 0 to 1, for each number of places
    arrivals_per_day: float
    mean_stay: float  # school days
    years: int

    @property
    def load(self) -> float:
        """Children in AP on an average day with unlimited places (arrivals a day x mean stay in days)."""
        return self.arrivals_per_day * self.mean_stay

    def places_needed(self, share: float) -> int | None:
        """The fewest places on the curve with at least `share` started in time; None when none reaches it."""
        return next((p for p, s in zip(self.places, self.share_in_time, strict=True) if s >= share), None)


def _residual_weights(stays: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days still to run (1 to the longest stay) and, for each, the stays at least that long (counted as `counts`
    counts them: whole numbers for whole counts)."""
    longest = int(stays.max())
    seen = np.zeros(longest + 1, dtype=counts.dtype)
    np.add.at(seen, stays, counts)
    at_least = seen[::-1].cumsum()[::-1]  # stays of r days or more, r = 0..longest
    return np.arange(1, longest + 1), at_least[1:]


def residual_stays(stays: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The days still to run for a child found in AP on a random day: stays of length L are seen in proportion to L,
    and any of their days is equally likely, so P(residual = r) is proportional to P(L >= r) (renewal theory)."""
    residual, at_least = _residual_weights(stays, np.asarray(weights, dtype=float))
    return residual, at_least / at_least.sum()


@dataclass(frozen=True)
class _Draws:
    """The random numbers of the simulated years, drawn once and used for every number of places."""

    arrivals: np.ndarray  # (school days, years): children arriving each day
    initial: np.ndarray  # (years,): children in AP as the year starts
    initial_left: np.ndarray  # (years, most initial): the days each of them still has to run
    stays: np.ndarray  # (years, children): the stay of each year's k-th child to start
    days: int  # the days a place can free on, the year's and after: school days + the longest stay + 1


def _drawn(rng: np.random.Generator, values: np.ndarray, weights: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Values drawn with replacement in proportion to their weights. Whole-number weights (counts of placements) of
    modest total: each value repeated as often as it was seen, and drawn uniformly from that table (an exact draw,
    eight times faster than a search); otherwise by the inverse of the cumulative distribution (numpy's `choice`
    with chances is slower still)."""
    if np.all(weights == np.round(weights)) and weights.sum() <= TABLE_LIMIT:
        table = np.repeat(values, weights.astype(np.int64))
        return table[rng.integers(0, len(table), size=size)]
    cumulative = np.cumsum(weights, dtype=float)
    cumulative /= cumulative[-1]
    return values[np.minimum(np.searchsorted(cumulative, rng.random(size), side="right"), len(values) - 1)]


def _draws(
    rng: np.random.Generator, rates: np.ndarray, lengths: np.ndarray, counts: np.ndarray, years: int, warm: bool
) -> _Draws:
    school_days = len(rates)
    arrivals = rng.poisson(rates[:, None], size=(school_days, years)).astype(np.int32)
    mean_stay = float((lengths * counts).sum() / counts.sum())
    initial = (rng.poisson(rates.mean() * mean_stay, size=years) if warm else np.zeros(years)).astype(np.int32)
    residual, at_least = _residual_weights(lengths, counts)
    most_initial = max(int(initial.max()), 1)
    initial_left = _drawn(rng, residual, at_least, (years, most_initial)).astype(np.int32)
    children = int(initial.max()) + int(arrivals.sum(axis=0).max()) + 1
    days = school_days + int(lengths.max()) + 1
    stays = _drawn(rng, lengths, counts, (years, children)).astype(np.int64)
    return _Draws(arrivals=arrivals, initial=initial, initial_left=initial_left, stays=stays, days=days)


def _in_time(draws: _Draws, places: np.ndarray) -> tuple[np.ndarray, int]:
    """The children started in time with each number of `places`, summed over the simulated years, and the children
    counted (the same for every number of places). Every (number of places, year) is one lane of the arrays."""
    arrivals = draws.arrivals
    school_days, years = arrivals.shape
    lanes = len(places) * years
    capacity = np.repeat(places.astype(np.int32), years)
    year = np.tile(np.arange(years), len(places))
    # leaving[d * lanes + lane]: places freed on day d in that lane (flat, for numpy's fast unbuffered add.at).
    leaving = np.zeros(draws.days * lanes, dtype=np.int32)
    initial = draws.initial[year]
    seated = np.minimum(initial, capacity)
    who = np.arange(draws.initial_left.shape[1])[None, :] < seated[:, None]
    np.add.at(leaving, (draws.initial_left[year] * lanes + np.arange(lanes)[:, None])[who], ONE)
    carried = initial - seated  # over the places: waiting from before the year, served first
    in_place, waiting = seated.copy(), carried.copy()
    children = draws.stays.shape[1]
    stays = draws.stays.ravel()
    next_child = year * children  # where each lane's next child to start finds its stay in `stays`
    starts = np.empty((school_days, lanes), dtype=np.int32)
    lane = np.arange(lanes)
    for day in range(school_days):
        in_place -= leaving[day * lanes : (day + 1) * lanes]
        waiting += np.tile(arrivals[day], len(places))
        taken = np.minimum(capacity - in_place, waiting)
        waiting -= taken
        in_place += taken
        starts[day] = taken
        total = int(taken.sum())
        if total:
            # Their places free again when their stays end: the k-th child to start has the year's k-th stay.
            first = np.cumsum(taken) - taken
            index = np.repeat(next_child - first, taken) + np.arange(total)
            np.add.at(leaving, (stays[index] + day) * lanes + np.repeat(lane, taken), ONE)
            next_child += taken
    # First come, first served: the year's n-th arrival (after those carried over) starts by the first day on which
    # the starts so far exceed n. Those arriving on day t start in time if started by day t + ALLOWANCE; the last
    # ALLOWANCE days' arrivals have their sixth day after the year, so are not counted.
    counted = school_days - ALLOWANCE
    if counted <= 0:
        return np.zeros(len(places), dtype=np.int64), 0
    started_by = np.cumsum(starts, axis=0)[ALLOWANCE:].reshape(counted, len(places), years)
    arrived = arrivals[:counted]
    arrived_before = (np.cumsum(arrivals, axis=0)[:counted] - arrived)[:, None, :]
    waiting_before = carried.reshape(len(places), years)[None, :, :]
    in_time = np.clip(started_by - waiting_before - arrived_before, 0, arrived[:, None, :])
    return in_time.sum(axis=(0, 2)), int(arrived.sum())


def simulate(
    *,
    arrivals_per_day: float | Sequence[float],
    stays: Sequence[int],
    stay_counts: Sequence[int] | None = None,
    places: Sequence[int],
    years: int = YEARS,
    seed: int = 14,
    school_days: int = SCHOOL_DAYS,
    warm: bool = True,
) -> CapacityCurve:
    """The share of arrivals started within `ALLOWANCE` school days for each number of `places`, over `years`
    simulated years. `arrivals_per_day` is one rate or one a school day of the year (a forecast's shape);
    `stays` are lengths of stay in school days (at least 1), each seen `stay_counts` times (once when not given).
    `warm=False` starts each year with no child in AP (for checking the model against a case worked by hand)."""
    rates = np.broadcast_to(np.asarray(arrivals_per_day, dtype=float), (school_days,))
    lengths = np.maximum(np.asarray(stays, dtype=np.int64), 1)
    counts = np.asarray(stay_counts if stay_counts is not None else np.ones(len(lengths)), dtype=float)
    if not len(lengths) or counts.sum() <= 0:
        raise ValueError("Lengths of stay are needed to simulate places")
    draws = _draws(np.random.default_rng(seed), rates, lengths, counts, years, warm)
    numbers = np.asarray(places, dtype=np.int64)
    # A few numbers of places at a time, so the arrays of days x lanes stay within tens of megabytes.
    chunk = max(1, LANES // max(years, 1))
    shares = []
    for at in range(0, len(numbers), chunk):
        in_time, counted = _in_time(draws, numbers[at : at + chunk])
        shares += [float(n) / counted if counted else 1.0 for n in in_time]
    return CapacityCurve(
        places=[int(number) for number in places],
        share_in_time=shares,
        arrivals_per_day=float(rates.mean()),
        mean_stay=float((lengths * counts).sum() / counts.sum()),
        years=years,
    )


def places_to_try(arrivals_per_day: float, mean_stay: float, *, points: int = 25) -> list[int]:
    """Numbers of places around the load worth simulating: from well below the children in AP on an average day with
    unlimited places (where few start in time) to well above it (where nearly all do), at most `points` of them."""
    load = arrivals_per_day * mean_stay
    spread = math.sqrt(max(load, 1.0))
    low = max(0, math.floor(load - 2 * spread))
    high = math.ceil(load + 4 * spread + 3)
    step = max(1, math.ceil((high - low) / (points - 1)))
    return list(range(low, high + 1, step))
