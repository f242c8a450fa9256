"""How full commissioned places are, worked out from the periods pupils are on roll (no database)."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aphub.commissioning.places.occupancy import (
    PeriodOnRoll,
    census_days,
    occupancy_of_year,
    on_roll_each_day,
    on_roll_on,
)

D = datetime.date
JANUARY_2022, MAY_2022 = D(2022, 1, 20), D(2022, 5, 19)


def test_the_census_days_are_the_third_thursdays_of_january_and_may():
    assert [census.day for census in census_days(2021)] == [JANUARY_2022, MAY_2022]
    assert [census.day for census in census_days(2026)] == [D(2027, 1, 21), D(2027, 5, 20)]
    assert all(census.day.weekday() == 3 and 15 <= census.day.day <= 21 for census in census_days(2030))


def _pupils(on_roll_in_january: int, on_roll_in_may: int) -> list[PeriodOnRoll]:
    """Pupils on roll all year, then those who joined between the censuses."""
    all_year = [PeriodOnRoll(start_date=D(2021, 9, 6), end_date=D(2022, 7, 20))] * on_roll_in_january
    joined = [PeriodOnRoll(start_date=D(2022, 2, 28), end_date=D(2022, 7, 20))] * (on_roll_in_may - on_roll_in_january)
    return all_year + joined


def test_seed_004s_places_show_71_empty_in_january_and_40_in_may():
    # Seed 004 section 11: Solihull Academy 150 places (101 and 125 on roll), Daylesford Academy 35 (22, 23), Triple
    # Crown Centre 32 (23, 29): 217 places, 146 then 177 on roll.
    provisions = [(150, 101, 125), (35, 22, 23), (32, 23, 29)]
    years = [
        occupancy_of_year(academic_year=2021, places=places, rate_per_place=Decimal("10000"), periods=_pupils(jan, may))
        for places, jan, may in provisions
    ]
    assert sum(year.places for year in years) == 217
    assert [sum(year.at_census[i].on_roll for year in years) for i in (0, 1)] == [146, 177]
    assert [sum(year.at_census[i].empty for year in years) for i in (0, 1)] == [71, 40]
    assert [year.at_census[0].census.day for year in years] == [JANUARY_2022] * 3
    assert sum(year.value_of_occupied + year.cost_of_empty for year in years) == Decimal("2170000.00")


def test_a_placement_counts_from_its_start_to_its_end_both_days():
    periods = [PeriodOnRoll(start_date=D(2026, 10, 5), end_date=D(2026, 10, 9))]
    assert [on_roll_on(periods, day) for day in (D(2026, 10, 4), D(2026, 10, 5), D(2026, 10, 9), D(2026, 10, 10))] == [
        0,
        1,
        1,
        0,
    ]


def test_a_running_placement_counts_to_its_planned_end_else_to_the_end_of_its_academic_year():
    planned = PeriodOnRoll(start_date=D(2026, 9, 7), planned_end_date=D(2026, 12, 18))
    open_ended = PeriodOnRoll(start_date=D(2026, 9, 7))
    assert on_roll_on([planned], D(2026, 12, 18)) == 1
    assert on_roll_on([planned], D(2026, 12, 19)) == 0
    assert on_roll_on([open_ended], D(2027, 8, 31)) == 1
    assert on_roll_on([open_ended], D(2027, 9, 1)) == 0


def test_pupils_beyond_the_places_are_over_occupancy_and_never_make_places_negative():
    periods = [PeriodOnRoll(start_date=D(2026, 9, 1), end_date=D(2027, 8, 31))] * 12
    year = occupancy_of_year(academic_year=2026, places=10, rate_per_place=Decimal("10000"), periods=periods)
    assert [(count.on_roll, count.empty, count.over) for count in year.at_census] == [(12, 0, 2), (12, 0, 2)]
    assert (year.empty_place_days, year.over_place_days) == (0, 2 * 365)
    assert (year.value_of_occupied, year.cost_of_empty) == (Decimal("100000.00"), Decimal("0.00"))
    assert year.occupancy_percent == 100


def test_half_empty_places_cost_half_their_funding():
    # Four places; two pupils all year: half the place-days are empty.
    periods = [PeriodOnRoll(start_date=D(2026, 9, 1), end_date=D(2027, 8, 31))] * 2
    year = occupancy_of_year(academic_year=2026, places=4, rate_per_place=Decimal("10000"), periods=periods)
    assert year.cost_of_empty == year.value_of_occupied == Decimal("20000.00")
    assert year.average_on_roll == Decimal("2.0")
    assert year.average_empty == Decimal("2.0")
    assert year.occupancy_percent == 50


day_offsets = st.integers(min_value=-60, max_value=420)


@st.composite
def periods_around_2026(draw):
    start = D(2026, 9, 1) + datetime.timedelta(days=draw(day_offsets))
    end = start + datetime.timedelta(days=draw(st.integers(min_value=0, max_value=400)))
    return PeriodOnRoll(start_date=start, end_date=end)


@given(
    st.lists(periods_around_2026(), max_size=20),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=5_000_000).map(lambda pence: Decimal(pence) / 100),
)
def test_empty_and_occupied_places_share_the_years_funding_to_the_penny(periods, places, rate):
    year = occupancy_of_year(academic_year=2026, places=places, rate_per_place=rate, periods=periods)
    assert year.value_of_occupied + year.cost_of_empty == year.funding == rate * places
    assert year.occupied_place_days + year.empty_place_days == places * 365
    # Day by day, the count is the periods that hold the day.
    counts = on_roll_each_day(periods, D(2026, 9, 1), D(2027, 8, 31))
    for count in year.at_census:
        day = count.census.day
        expected = sum(1 for period in periods if period.start_date <= day <= period.end_date)
        assert count.on_roll == expected == counts[(day - D(2026, 9, 1)).days]
        assert count.empty - count.over == places - count.on_roll
