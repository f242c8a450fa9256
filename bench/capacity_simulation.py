"""The capacity simulation (aphub.insight.capacity) timed for 10,000 simulated school years, for `make bench` (issue
14: at least 10,000 years, vectorised with numpy, in under a second). No database: the inputs are a large LA's, made
up here (1.2 children starting a school day, stays of 10 to 190 school days), seeded so every run draws the same.

Run alone: `PYTHONPATH=src:. python -m bench.capacity_simulation`. Prints the time (wall clock, and CPU, which a busy
machine inflates less) for one number of places (the "10,000 years" of the goal), for a curve of about 13 numbers of
places at 10,000 years each, and the places needed for 90%, 95% and 99% of children to start within the sixth
school day.
"""

import time

import numpy as np

from aphub.insight.capacity import TARGETS, YEARS, places_to_try, simulate

ARRIVALS_PER_DAY = 1.2
POINTS = 13


def benchmark(years: int = YEARS) -> dict:
    stays = np.random.default_rng(2026).integers(10, 191, size=2_000)
    mean_stay = float(stays.mean())
    places = places_to_try(ARRIVALS_PER_DAY, mean_stay, points=POINTS)
    middle = places[len(places) // 2]
    started, cpu = time.perf_counter(), time.process_time()
    simulate(arrivals_per_day=ARRIVALS_PER_DAY, stays=stays, places=[middle], years=years)
    one, one_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    curve = simulate(arrivals_per_day=ARRIVALS_PER_DAY, stays=stays, places=places, years=years)
    whole, whole_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "years": years,
        "one_number_of_places_seconds": one,
        "one_number_of_places_cpu_seconds": one_cpu,
        "curve_seconds": whole,
        "curve_cpu_seconds": whole_cpu,
        "curve_points": len(places),
        "places_needed": {target: curve.places_needed(target) for target in TARGETS},
    }


def report(result: dict) -> str:
    needed = ", ".join(f"{round(t * 100)}%: {p}" for t, p in result["places_needed"].items())
    return (
        f"capacity simulation: {result['years']:,} years at one number of places in "
        f"{result['one_number_of_places_seconds']:.3f} s ({result['one_number_of_places_cpu_seconds']:.3f} s of CPU); "
        f"the curve of {result['curve_points']} numbers of places in {result['curve_seconds']:.3f} s "
        f"({result['curve_cpu_seconds']:.3f} s of CPU); places needed {needed}"
    )


if __name__ == "__main__":
    print(report(benchmark()))
