from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aphub.core.money import allocate, format_money, pro_rata, to_money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10, Decimal("10.00")),
        ("12.345", Decimal("12.35")),  # half up, not bankers' rounding
        ("12.344", Decimal("12.34")),
        (Decimal("0.005"), Decimal("0.01")),
        ("-0.005", Decimal("-0.01")),
        ("£1,234.5", Decimal("1234.50")),
    ],
)
def test_to_money_rounds_half_up_to_the_penny(value, expected):
    assert to_money(value) == expected
    assert to_money(value).as_tuple().exponent == -2


def test_floats_are_refused():
    with pytest.raises(TypeError, match="float"):
        to_money(0.1)


@pytest.mark.parametrize("value", ["", "ten pounds", "NaN", "Infinity"])
def test_text_that_is_not_money_is_refused(value):
    with pytest.raises(ValueError, match="not an amount of money"):
        to_money(value)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1234.5", "£1,234.50"),
        (0, "£0.00"),
        ("1000000", "£1,000,000.00"),
        ("-20.1", "-£20.10"),
    ],
)
def test_format_money(amount, text):
    assert format_money(amount) == text


def test_pro_rata_place_funding_for_part_of_a_year():
    # £10,000 place funding for 95 of 190 school days is exactly half.
    assert pro_rata("10000", 95, 190) == Decimal("5000.00")
    assert pro_rata("10000", 1, 190) == Decimal("52.63")
    assert pro_rata("10000", 0, 190) == Decimal("0.00")


def test_pro_rata_refuses_an_empty_year_and_negative_days():
    with pytest.raises(ValueError):
        pro_rata("10000", 5, 0)
    with pytest.raises(ValueError):
        pro_rata("10000", -1, 190)


def test_allocate_gives_the_left_over_penny_to_the_earliest_part_on_a_tie():
    assert allocate("100", [1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert allocate("-100", [1, 1, 1]) == [Decimal("-33.34"), Decimal("-33.33"), Decimal("-33.33")]


pence = st.integers(min_value=-(10**9), max_value=10**9).map(lambda p: Decimal(p) / 100)
positive_pence = st.integers(min_value=0, max_value=10**9).map(lambda p: Decimal(p) / 100)


@given(st.lists(pence, max_size=50))
def test_sums_of_money_are_exact(amounts):
    total = sum((to_money(a) for a in amounts), Decimal("0.00"))
    assert total == to_money(sum(amounts, Decimal(0)))
    assert total * 100 == int(total * 100)


@given(pence, st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12))
def test_allocated_parts_add_up_exactly_and_each_is_within_a_penny_of_its_share(total, weights):
    if sum(weights) == 0:
        return
    parts = allocate(total, weights)
    assert sum(parts) == to_money(total)
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / sum(weights)
        assert abs(part - exact) < Decimal("0.01")
        assert part.as_tuple().exponent == -2


@given(positive_pence, st.integers(min_value=1, max_value=400), st.data())
def test_pro_rata_is_within_half_a_penny_and_never_more_than_the_annual_amount(annual, days_in_year, data):
    days = data.draw(st.integers(min_value=0, max_value=days_in_year))
    share = pro_rata(annual, days, days_in_year)
    assert abs(share - annual * days / days_in_year) <= Decimal("0.005")
    assert share <= annual
    assert pro_rata(annual, days_in_year, days_in_year) == annual


def test_an_amount_too_large_for_pence_is_refused_clearly():
    with pytest.raises(ValueError, match="too large"):
        to_money("1e30")
