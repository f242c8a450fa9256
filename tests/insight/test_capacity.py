"""The capacity simulation: the share of children started within the sixth school day for each number of places, by
Monte Carlo over simulated school years (insight.capacity). Fewer years here than the benchmark's 10,000, to keep the
tests fast; the cases are chosen so that few years already decide them."""

import math

import numpy as np
import pytest

from aphub.insight.capacity import CapacityCurve, _drawn, places_to_try, residual_stays, simulate
from aphub.insight.dashboards.sufficiency import interpolated_places

STAYS = [20, 40, 60, 95, 120, 190]  # school days


def test_with_ample_places_every_child_starts_in_time():
    curve = simulate(arrivals_per_day=1.0, stays=STAYS, places=[400], years=200)
    assert curve.share_in_time == [1.0]


def test_with_no_places_no_child_starts():
    curve = simulate(arrivals_per_day=1.0, stays=STAYS, places=[0], years=200)
    assert curve.share_in_time == [0.0]


def test_the_share_started_in_time_rises_with_places():
    places = list(range(40, 130, 6))
    shares = simulate(arrivals_per_day=1.0, stays=STAYS, places=places, years=300).share_in_time
    assert shares == sorted(shares)
    assert shares[0] < 0.2 and shares[-1] > 0.99


def test_the_same_seed_gives_the_same_curve_and_another_seed_another():
    def run(seed: int) -> list[float]:
        return simulate(arrivals_per_day=0.8, stays=STAYS, places=[60, 70], years=200, seed=seed).share_in_time

    assert run(7) == run(7)
    assert run(7) != run(8)


def _poisson_pmf(mean: float, n: int) -> float:
    return math.exp(-mean + n * math.log(mean) - math.lgamma(n + 1))


def test_places_that_never_free_start_the_first_arrivals_only_as_worked_by_hand():
    """No child in AP as the year starts and stays longer than the year: the places fill in order of arrival and
    never free, so of the N children counted (those arriving on the first 185 of 190 days, their sixth day within
    the year) min(N, places) start, all on the day they arrive. N is Poisson with mean 185 at one a day, so the share
    is E[min(N, c)] / E[N]."""
    places = 180
    mean = 1.0 * (190 - 5)
    expected = sum(min(n, places) * _poisson_pmf(mean, n) for n in range(1, 500)) / mean
    curve = simulate(arrivals_per_day=1.0, stays=[1000], places=[places], years=3000, warm=False)
    # By the normal approximation: 185 less E[(N - 180)+], 13.6 x 0.373 + 5 x 0.644 = 8.3, over 185.
    assert expected == pytest.approx(0.955, abs=0.001)
    assert curve.share_in_time[0] == pytest.approx(expected, abs=0.003)


def test_children_who_start_after_their_sixth_day_are_not_in_time():
    """Places of stays of 10 school days, none filled as the year starts: each place starts at most 19 children in
    the 190 days, so of about 185 children counted a year at most 19 a place can start at all (0.103 a place); the
    queue that builds up means most of those start late, so the share in time is below that bound, above nought."""
    curve = simulate(arrivals_per_day=1.0, stays=[10], places=[1, 2], years=500, warm=False)
    one, two = curve.share_in_time
    assert 0 < one < 0.103
    assert one < two < 2 * 0.103


def test_the_residual_of_equal_stays_is_any_of_their_days():
    residual, chance = residual_stays(np.array([4]), np.array([1.0]))
    assert list(residual) == [1, 2, 3, 4]
    assert list(chance) == pytest.approx([0.25] * 4)


def test_a_long_stay_is_found_in_proportion_to_its_length():
    # Stays of 1 and 3 days, equally common: a day in AP is in a 3-day stay three times as often. Days left: 1 in
    # the short stay and 1, 2 or 3 in the long one, so P(1) = 2/4, P(2) = P(3) = 1/4.
    residual, chance = residual_stays(np.array([1, 3]), np.array([0.5, 0.5]))
    assert list(residual) == [1, 2, 3]
    assert list(chance) == pytest.approx([0.5, 0.25, 0.25])


def test_places_to_try_span_the_load():
    places = places_to_try(1.0, 100.0, points=13)
    assert places[0] <= 80 and places[-1] >= 140 and len(places) <= 13
    assert places == sorted(set(places))


def test_places_needed_are_read_between_the_simulated_numbers():
    curve = CapacityCurve(places=[10, 20, 30], share_in_time=[0.5, 0.9, 1.0], arrivals_per_day=1, mean_stay=15, years=1)
    assert curve.places_needed(0.95) == 30
    assert interpolated_places(curve, 0.5) == 10
    assert interpolated_places(curve, 0.9) == 20
    assert interpolated_places(curve, 0.95) == 25
    assert interpolated_places(curve, 0.99) == 29
    assert interpolated_places(CapacityCurve([10], [0.5], 1, 15, 1), 0.9) is None


def test_a_large_la_simulates_fewer_years_on_the_page_and_a_small_one_a_thousand():
    from aphub.insight.dashboards.sufficiency import years_on_page

    assert years_on_page(0.5) == 1_000
    # 158 children a school day (a very large LA): 158 x 190 x 13 = 390,260 children a year; 2,500,000 of them is 6.4.
    assert years_on_page(158) == 6
    assert years_on_page(10_000) == 5


@pytest.mark.parametrize("weights", [[1, 3], [0.25, 0.75]])
def test_stays_are_drawn_in_proportion_to_how_often_they_were_seen(weights):
    # Whole counts are drawn from a table of the stays seen, fractions by their cumulative distribution: both give
    # the stay of 20 days three times in four.
    drawn = _drawn(np.random.default_rng(1), np.array([10, 20]), np.array(weights, dtype=float), (400, 100))
    assert (drawn == 20).mean() == pytest.approx(0.75, abs=0.01)
