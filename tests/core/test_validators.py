"""The building blocks of the limits a page and the API share (aphub.core.forms.validators)."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from aphub.core.errors import DomainError, DomainErrors, Problems
from aphub.core.forms.validators import (
    LimitField,
    NumberLimitField,
    at_most,
    check_limit,
    check_limits,
    check_required,
    decimal_number,
    pounds,
    text_at_most,
    whole_number,
)

SAY = "Say it properly"


def refused(limit, value) -> bool:
    try:
        limit(value)
    except ValidationError as error:
        assert error.messages == [SAY]
        return True
    return False


@given(st.integers(min_value=-50, max_value=50))
def test_a_whole_number_is_taken_in_range_whether_typed_or_given(number):
    def limit(value):
        return whole_number(value, low=1, high=10, message=SAY)

    assert refused(limit, number) == refused(limit, f" {number} ") == (not 1 <= number <= 10)
    if 1 <= number <= 10:
        assert limit(str(number)) == number


@pytest.mark.parametrize("value", [None, "", "ten", "2.5", True, "1e1"])
def test_anything_else_is_not_a_whole_number(value):
    assert refused(lambda v: whole_number(v, low=1, high=10, message=SAY), value)


@given(st.integers(min_value=-(10**10), max_value=10**10))
def test_pounds_are_whole_pence_from_zero_to_under_the_limit(pence):
    amount = Decimal(pence) / 100
    assert refused(lambda v: pounds(v, message=SAY), amount) == (not 0 <= amount < Decimal("100000000"))
    if 0 <= amount < 10**8:
        assert pounds(f"£{amount:,}", message=SAY) == amount


@pytest.mark.parametrize("value", [None, "", "lots", "NaN", "Infinity", "12.345", 0.5, "1e30"])
def test_anything_else_is_not_an_amount_of_pounds(value):
    assert refused(lambda v: pounds(v, message=SAY), value)


def test_a_decimal_number_refuses_floats_which_are_not_exact():
    assert refused(lambda v: decimal_number(v, message=SAY), 0.1)
    assert decimal_number("1,250.5", message=SAY) == Decimal("1250.5")


def test_text_at_most_counts_without_the_spaces_around_it():
    assert text_at_most("  abc  ", limit=3, message=SAY) == "abc"
    assert text_at_most(None, limit=3, message=SAY) == ""
    assert refused(lambda v: text_at_most(v, limit=3, message=SAY), "abcd")


def test_check_limits_raises_every_broken_limit_at_once_on_its_field():
    def short(value):
        return text_at_most(value, limit=2, message=SAY)

    assert check_limit(short, "ab", field="code") == "ab"
    with pytest.raises(DomainErrors) as error:
        check_limits({"code": (short, "abc"), "name": (short, "ok"), "note": (short, "long")})
    assert [(each.field, each.message) for each in error.value.errors] == [("code", SAY), ("note", SAY)]
    with pytest.raises(DomainError):
        check_limit(short, "abc", field="code")


def test_a_limit_field_cleans_to_the_limits_value_and_says_its_message():
    class Hours(forms.Form):
        hours = NumberLimitField(limit=lambda v: whole_number(v, low=1, high=10, message=SAY), width=2)
        note = LimitField(limit=lambda v: text_at_most(v, limit=3, message=SAY), max_length=3, required=False)

    good = Hours({"hours": " 7 ", "note": ""})
    assert good.is_valid() and good.cleaned_data == {"hours": 7, "note": ""}
    bad = Hours({"hours": "11", "note": "abcd"})
    assert not bad.is_valid()
    # The limit speaks for a note too long, not Django's own max_length message; the input keeps its maxlength.
    assert bad.errors == {"hours": [SAY], "note": [SAY]}
    assert 'maxlength="3"' in str(bad["note"]) and 'inputmode="numeric"' in str(bad["hours"])


def test_a_required_answer_is_stripped_and_told_with_the_other_problems():
    problems = Problems()
    short = at_most(5, "The title")
    assert check_required(problems, short, "  Plan  ", field="title", missing="Enter a title") == "Plan"
    assert not problems
    check_required(problems, short, "   ", field="title", missing="Enter a title")
    check_required(problems, short, "Far too long", field="name", missing="Enter a name")
    with pytest.raises(DomainErrors) as raised:
        problems.raise_any()
    assert [(error.field, error.message) for error in raised.value.errors] == [
        ("title", "Enter a title"),
        ("name", "The title must be 5 characters or fewer"),
    ]
