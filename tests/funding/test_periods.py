"""The arithmetic of funding periods, checked on any dates and rates (hypothesis) against the unsplit calculation."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aphub.core.money import pro_rata
from aphub.funding.periods import (
    academic_year_end,
    academic_year_of,
    amount_between,
    billing_term_of,
    billing_terms_of_academic_year,
    days_in_financial_year,
    financial_year_label,
    financial_year_of,
    funding_period,
    months_of_financial_year,
    split_by_financial_year,
    split_into,
)

dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2060, 12, 31))
# Whole pence up to £200,000 a year, built from integers so no float can slip in.
annual_rates = st.integers(min_value=0, max_value=20_000_000).map(lambda pence: Decimal(pence) / 100)


@st.composite
def periods(draw, max_days: int = 3 * 366):
    start = draw(dates)
    end = start + datetime.timedelta(days=draw(st.integers(min_value=0, max_value=max_days)))
    return start, end


def exact_total(annual: Decimal, start: datetime.date, end: datetime.date) -> Fraction:
    """The unrounded amount for the period, computed day by day: each day is 1/365 or 1/366 of its year's rate.
    In exact fractions: a Decimal sum of 1/365ths carries 28-digit noise, enough to put a share that is exactly half
    a penny from its rounding (a tie) just past half a penny."""
    total = Fraction(0)
    day = start
    while day <= end:
        total += Fraction(annual) / days_in_financial_year(financial_year_of(day))
        day += datetime.timedelta(days=1)
    return total


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2027, 3, 31), 2026),
        (datetime.date(2027, 4, 1), 2027),
        (datetime.date(2026, 12, 25), 2026),
        (datetime.date(2027, 1, 1), 2026),
    ],
)
def test_a_financial_year_runs_from_1_april_to_31_march(day, year):
    assert financial_year_of(day) == year


def test_a_financial_year_holding_29_february_has_366_days():
    assert days_in_financial_year(2027) == 366  # April 2027 to March 2028 holds 29 February 2028
    assert days_in_financial_year(2026) == 365
    assert financial_year_label(2026) == "2026-27"
    assert financial_year_label(2099) == "2099-00"


@pytest.mark.parametrize(
    ("start", "year_end"),
    [
        (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)),
        (datetime.date(2026, 11, 10), datetime.date(2027, 8, 31)),
        (datetime.date(2027, 1, 4), datetime.date(2027, 8, 31)),
        (datetime.date(2027, 8, 31), datetime.date(2027, 8, 31)),
    ],
)
def test_an_open_ended_placement_is_funded_to_the_end_of_the_academic_year_it_starts_in(start, year_end):
    assert academic_year_end(start) == year_end
    assert funding_period(start_date=start) == (start, year_end)


def test_an_actual_end_comes_before_the_planned_end():
    start = datetime.date(2026, 11, 10)
    ended, planned = datetime.date(2026, 12, 18), datetime.date(2027, 3, 26)
    assert funding_period(start_date=start, end_date=ended, planned_end_date=planned) == (start, ended)
    assert funding_period(start_date=start, planned_end_date=planned) == (start, planned)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="cannot end"):
        funding_period(start_date=datetime.date(2026, 11, 10), planned_end_date=datetime.date(2026, 11, 9))


def test_a_placement_over_1_april_is_cut_there():
    slices = split_by_financial_year(datetime.date(2027, 1, 4), datetime.date(2027, 7, 23))
    assert [(s.financial_year, s.start, s.end, s.days) for s in slices] == [
        (2026, datetime.date(2027, 1, 4), datetime.date(2027, 3, 31), 87),
        (2027, datetime.date(2027, 4, 1), datetime.date(2027, 7, 23), 114),
    ]
    # £10,000 a year: 87/365 and 114/366 (2027-28 holds 29 February 2028).
    assert [s.amount(Decimal("10000")) for s in slices] == [Decimal("2383.56"), Decimal("3114.75")]


@given(periods())
def test_slices_cover_the_period_day_for_day_without_crossing_1_april(period):
    start, end = period
    slices = split_by_financial_year(start, end)
    assert sum(s.days for s in slices) == (end - start).days + 1
    assert slices[0].start == start and slices[-1].end == end
    for before, after in zip(slices, slices[1:], strict=False):
        assert after.start == before.end + datetime.timedelta(days=1)
        assert (after.start.month, after.start.day) == (4, 1)
    for piece in slices:
        assert financial_year_of(piece.start) == financial_year_of(piece.end) == piece.financial_year


@given(periods(), annual_rates)
def test_the_lines_add_up_to_the_unsplit_amount_within_a_penny_per_line(period, annual):
    start, end = period
    slices = split_by_financial_year(start, end)
    amounts = [s.amount(annual) for s in slices]
    assert all(isinstance(amount, Decimal) and amount.as_tuple().exponent == -2 for amount in amounts)
    # Each slice is what was earned by its last day less what was earned before its first, each rounded once, so the
    # slice is within a penny of its exact share.
    assert abs(Fraction(sum(amounts)) - exact_total(annual, start, end)) <= Fraction(1, 100) * len(slices)


@given(periods(max_days=2 * 366), st.data(), annual_rates)
def test_a_placement_split_anywhere_costs_exactly_the_same_as_unsplit(period, data, annual):
    start, end = period
    if start == end:
        return
    cut = start + datetime.timedelta(days=data.draw(st.integers(min_value=1, max_value=(end - start).days)))
    whole = split_by_financial_year(start, end)
    parts = split_by_financial_year(start, cut - datetime.timedelta(days=1)) + split_by_financial_year(cut, end)
    assert sum(p.days for p in parts) == sum(w.days for w in whole) == (end - start).days + 1
    # Money accrues by the day along the financial year, so a cut anywhere neither loses nor gains a penny.
    assert sum(p.amount(annual) for p in parts) == sum(w.amount(annual) for w in whole)


@given(periods(), annual_rates)
def test_a_whole_financial_year_costs_exactly_the_annual_rate(period, annual):
    start, _ = period
    first = datetime.date(financial_year_of(start), 4, 1)
    last = datetime.date(first.year + 1, 3, 31)
    assert [s.amount(annual) for s in split_by_financial_year(first, last)] == [annual.quantize(Decimal("0.01"))]


def test_a_float_rate_is_refused():
    piece = split_by_financial_year(datetime.date(2026, 11, 10), datetime.date(2026, 12, 18))[0]
    with pytest.raises(TypeError, match="float"):
        piece.amount(10000.0)
    assert pro_rata("10000", piece.days, piece.days_in_year) == piece.amount(Decimal("10000"))


def _amount_over(periods_of, annual, start, end):
    """The amount of start..end cut first by financial year, then by `periods_of(slice)`."""
    total = Decimal("0.00")
    for piece in split_by_financial_year(start, end):
        for _, first, last in split_into(periods_of(piece), piece.start, piece.end):
            total += amount_between(annual, first, last)
    return total


@given(periods(), annual_rates)
def test_a_period_cut_into_months_or_billing_terms_costs_exactly_the_same(period, annual):
    start, end = period
    whole = sum((piece.amount(annual) for piece in split_by_financial_year(start, end)), Decimal("0.00"))
    by_month = _amount_over(lambda piece: months_of_financial_year(piece.financial_year), annual, start, end)
    by_term = _amount_over(
        lambda piece: [
            term
            for year in sorted({academic_year_of(piece.start), academic_year_of(piece.end)})
            for term in billing_terms_of_academic_year(year)
        ],
        annual,
        start,
        end,
    )
    assert by_month == by_term == whole


@given(periods(), st.data(), annual_rates)
def test_what_was_earned_before_a_day_does_not_change_when_the_end_moves(period, data, annual):
    """Ending a placement early takes off exactly the amount of the days it no longer runs."""
    start, end = period
    first_year_end = split_by_financial_year(start, end)[0].end
    new_end = start + datetime.timedelta(days=data.draw(st.integers(0, (first_year_end - start).days)))
    kept = amount_between(annual, start, new_end)
    if new_end < first_year_end:
        dropped = amount_between(annual, new_end + datetime.timedelta(days=1), first_year_end)
    else:
        dropped = Decimal("0.00")
    assert kept + dropped == amount_between(annual, start, first_year_end)


def test_the_months_of_a_financial_year_run_april_to_march():
    months = months_of_financial_year(2027)
    assert [m.name for m in (months[0], months[10], months[11])] == ["April 2027", "February 2028", "March 2028"]
    assert months[10].days == 29  # 2028 is a leap year
    assert sum(m.days for m in months) == days_in_financial_year(2027)


def test_billing_terms_cover_the_academic_year_and_none_crosses_1_april():
    terms = billing_terms_of_academic_year(2026)
    assert [(t.name, t.start, t.end) for t in terms] == [
        ("Autumn 2026", datetime.date(2026, 9, 1), datetime.date(2026, 12, 31)),
        ("Spring 2027", datetime.date(2027, 1, 1), datetime.date(2027, 3, 31)),
        ("Summer 2027", datetime.date(2027, 4, 1), datetime.date(2027, 8, 31)),
    ]
    assert billing_term_of(datetime.date(2027, 4, 1)).name == "Summer 2027"
    assert billing_term_of(datetime.date(2026, 8, 31)).name == "Summer 2026"
    for term in terms:
        assert financial_year_of(term.start) == financial_year_of(term.end)


def test_an_amount_is_not_worked_out_across_1_april():
    with pytest.raises(ValueError, match="split the period first"):
        amount_between(Decimal("10000"), datetime.date(2027, 3, 1), datetime.date(2027, 4, 30))
