"""The outturn's arithmetic: any cut at today adds up to the line, and the expected new placements' months add up to
the year's expected cost, split across the recent starts without losing a penny."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aphub.commissioning.places.place_funding import place_funding, split_across_financial_years
from aphub.finance.rules import RecentStart, cut_at, cut_spread_at, expected_in, shares_of
from aphub.funding.periods import amount_between, months_of_financial_year

rates = st.decimals(min_value=0, max_value=200000, places=2)
days_of_2026 = st.integers(min_value=0, max_value=364).map(lambda n: datetime.date(2026, 4, 1) + datetime.timedelta(n))


@given(rates, days_of_2026, days_of_2026, days_of_2026)
def test_actuals_and_commitment_are_the_line_and_the_months_add_up_to_them(rate, a, b, today):
    start, end = min(a, b), max(a, b)
    actual, commitment = cut_at(rate, start, end, today)
    assert actual + commitment == amount_between(rate, start, end)
    by_month = [cut_at(rate, start, end, today, month) for month in months_of_financial_year(2026)]
    assert sum(part[0] for part in by_month) == actual
    assert sum(part[1] for part in by_month) == commitment


starts = st.lists(
    st.builds(RecentStart, placement_id=st.integers(1, 10**6), annual_rate=rates, funded_days=st.integers(1, 500)),
    max_size=8,
)


@given(starts, days_of_2026)
def test_expected_months_add_up_to_the_year_and_the_shares_to_the_total(recent, today):
    year = expected_in(recent, 2026, today)
    assert sum(expected_in(recent, 2026, today, month) for month in months_of_financial_year(2026)) == year
    assert sum(shares_of(year, recent)) == (year if recent else 0)
    # Nothing is expected before tomorrow.
    assert all(
        expected_in(recent, 2026, today, month) == 0 for month in months_of_financial_year(2026) if month.end <= today
    )


def test_the_rule_worked_by_hand():
    # One start at £18,250 a year in the last 84 days, 10 days long, with 20 days left in a 365-day year: on day k
    # from tomorrow min(k, 10) days' worth of starts run, 10 x 11 / 2 + 10 x 10 = 155 start-days, each 1/84 of
    # £18,250 / 365 = £50 a day: 155 x 50 / 84 = £92.26.
    start = RecentStart(placement_id=1, annual_rate=Decimal("18250.00"), funded_days=10)
    assert expected_in([start], 2026, datetime.date(2027, 3, 11)) == Decimal("92.26")
    # A past or future year expects nothing.
    assert expected_in([start], 2025, datetime.date(2027, 3, 11)) == 0
    assert expected_in([start], 2027, datetime.date(2027, 3, 11)) == 0


@given(st.integers(min_value=0, max_value=500), rates, st.integers(2020, 2040), days_of_2026)
def test_commissioned_places_share_cut_at_today_and_by_month_adds_up_to_it(places, rate, academic_year, today):
    """Either part of an academic year's place funding, earned by the day over its months, cut at any day and into
    any months, loses or gains no penny."""
    for share in split_across_financial_years(academic_year, place_funding(places, rate)):
        on = today.replace(year=share.start.year if today.month >= share.start.month else share.end.year)
        actual, commitment = cut_spread_at(share, on)
        assert actual + commitment == share.amount and actual >= 0 and commitment >= 0
        by_month = [cut_spread_at(share, on, month) for month in months_of_financial_year(share.financial_year)]
        assert sum(part[0] for part in by_month) == actual
        assert sum(part[1] for part in by_month) == commitment
