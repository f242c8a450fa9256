"""Dates are written one way for people (GOV.UK style guide: "3 November 2026", no leading zero, no comma)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from aphub.core.days.dates import long_date, weekday_date


def test_a_date_has_no_leading_zero_and_no_comma():
    assert long_date(datetime.date(2026, 11, 3)) == "3 November 2026"


def test_a_day_to_act_on_names_its_weekday():
    assert weekday_date(datetime.date(2026, 11, 3)) == "Tuesday 3 November 2026"


def test_no_date_is_written_as_nothing():
    assert long_date(None) == "" and weekday_date(None) == ""


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_the_weekday_form_is_the_long_date_after_its_weekday(day):
    assert weekday_date(day) == f"{day:%A} {long_date(day)}"
    assert datetime.datetime.strptime(long_date(day), "%d %B %Y").date() == day  # noqa: DTZ007 (a date, no time)
