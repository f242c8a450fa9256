"""Place funding per commissioned place, split across financial years: checked on any places and rate (hypothesis)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aphub.commissioning.places.place_funding import (
    place_funding,
    share_in_financial_year,
    split_across_financial_years,
)

places = st.integers(min_value=0, max_value=5_000)
# Whole pence up to £100,000 a place, built from integers so no float can slip in.
rates = st.integers(min_value=0, max_value=10_000_000).map(lambda pence: Decimal(pence) / 100)
academic_years = st.integers(min_value=2000, max_value=2060)


def test_a_place_at_the_las_rate_is_ten_thousand_pounds_split_seven_and_five_twelfths():
    funding = place_funding(1, Decimal("10000.00"))
    autumn_and_spring, summer = split_across_financial_years(2026, funding)
    assert funding == Decimal("10000.00")
    assert (autumn_and_spring.financial_year, autumn_and_spring.amount) == (2026, Decimal("5833.33"))
    assert (summer.financial_year, summer.amount) == (2027, Decimal("4166.67"))


def test_seed_004s_217_places_cost_two_million_one_hundred_and_seventy_thousand_pounds_a_year():
    funding = place_funding(150, 10000) + place_funding(35, 10000) + place_funding(32, 10000)
    assert funding == Decimal("2170000.00")


@given(places, rates, academic_years)
def test_splitting_any_places_across_financial_years_loses_or_gains_no_penny(places, rate, academic_year):
    funding = place_funding(places, rate)
    first, second = split_across_financial_years(academic_year, funding)
    assert funding == rate * places
    assert first.amount + second.amount == funding
    assert (first.financial_year, second.financial_year) == (academic_year, academic_year + 1)
    # Each part is its twelfths of the whole, to within a penny.
    assert abs(first.amount - funding * 7 / 12) < Decimal("0.01")
    assert abs(second.amount - funding * 5 / 12) < Decimal("0.01")


@given(places, rates, academic_years)
def test_the_financial_years_around_an_academic_year_hold_all_of_its_funding_and_no_other_year_any(
    places, rate, academic_year
):
    funding = place_funding(places, rate)
    shares = {year: share_in_financial_year(academic_year, funding, year) for year in range(2000, 2063)}
    assert sum(shares.values()) == funding
    assert all(amount == 0 for year, amount in shares.items() if year not in (academic_year, academic_year + 1))
