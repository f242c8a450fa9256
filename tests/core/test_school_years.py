"""Age, year group, key stage and compulsory school age (aphub.core.days.school_years): examples from the law and the
DfE's year-group table, and properties over every date of birth."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aphub.core.days.school_years import (
    EARLY_YEARS,
    KS1,
    KS2,
    KS3,
    KS4,
    POST_16,
    age_at_start_of_school_year,
    age_on,
    compulsory_school_age_ends,
    compulsory_school_age_starts,
    dates_of_birth_in_key_stage,
    is_compulsory_school_age,
    key_stage,
    school_year_start,
    school_year_starts_in_year_group,
    year_group,
)

births = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31))
days = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2060, 12, 31))


def test_a_year_9_pupil_who_has_turned_14_is_still_in_key_stage_3():
    born = datetime.date(2012, 11, 16)  # Year 9 in 2026/27: 13 on 31 August 2026
    day = datetime.date(2027, 3, 1)
    assert age_on(born, day) == 14
    assert year_group(born, day) == 9
    assert key_stage(born, day) == KS3


def test_key_stage_4_begins_in_september_of_year_10_not_on_the_14th_birthday():
    born = datetime.date(2012, 11, 16)
    assert key_stage(born, datetime.date(2027, 8, 31)) == KS3
    assert key_stage(born, datetime.date(2027, 9, 1)) == KS4


@pytest.mark.parametrize(
    ("born", "day", "group", "stage"),
    [
        (datetime.date(2021, 8, 31), datetime.date(2026, 9, 1), 1, KS1),  # the youngest in Year 1: 5 on 31 Aug
        (datetime.date(2021, 9, 1), datetime.date(2026, 9, 1), 0, EARLY_YEARS),  # a day younger: Reception
        (datetime.date(2016, 3, 14), datetime.date(2026, 10, 1), 6, KS2),
        (datetime.date(2015, 3, 14), datetime.date(2026, 10, 1), 7, KS3),
        (datetime.date(2012, 9, 1), datetime.date(2027, 7, 20), 9, KS3),  # the oldest in Year 9: 14 from day 1
        (datetime.date(2011, 1, 1), datetime.date(2026, 11, 16), 11, KS4),
        (datetime.date(2010, 1, 1), datetime.date(2026, 11, 16), 12, POST_16),
    ],
)
def test_the_year_group_and_key_stage_come_from_the_age_on_31_august(born, day, group, stage):
    assert year_group(born, day) == group
    assert key_stage(born, day) == stage


def test_a_29_february_birthday_comes_round_on_1_march():
    born = datetime.date(2012, 2, 29)
    assert age_on(born, datetime.date(2026, 2, 28)) == 13
    assert age_on(born, datetime.date(2026, 3, 1)) == 14


def test_compulsory_school_age_starts_on_the_term_date_after_the_fifth_birthday():
    # Education Act 1996 s.8(2): 31 December, 31 March or 31 August, on or after the fifth birthday.
    assert compulsory_school_age_starts(datetime.date(2011, 9, 1)) == datetime.date(2016, 12, 31)
    assert compulsory_school_age_starts(datetime.date(2011, 1, 1)) == datetime.date(2016, 3, 31)
    assert compulsory_school_age_starts(datetime.date(2011, 3, 31)) == datetime.date(2016, 3, 31)
    assert compulsory_school_age_starts(datetime.date(2011, 4, 1)) == datetime.date(2016, 8, 31)


def test_compulsory_school_age_ends_on_the_last_friday_of_june_of_the_year_the_child_turns_16():
    assert compulsory_school_age_ends(datetime.date(2010, 8, 31)) == datetime.date(2026, 6, 26)
    assert compulsory_school_age_ends(datetime.date(2010, 9, 1)) == datetime.date(2027, 6, 25)
    assert not is_compulsory_school_age(datetime.date(2010, 8, 31), datetime.date(2026, 6, 27))
    assert is_compulsory_school_age(datetime.date(2010, 9, 1), datetime.date(2026, 6, 27))


@given(born=births, day=days)
def test_age_is_whole_years_since_birth(born, day):
    age = age_on(born, day)
    if day < born:
        assert age < 0
        return
    assert age >= 0
    years_later = born.year + age
    # The last birthday is on or before the day, the next after it.
    assert (born.month, born.day) <= (day.month, day.day) or years_later < day.year
    assert age_on(born, day + datetime.timedelta(days=366)) in (age + 1, age + 2)


@given(born=births, day=days)
def test_the_year_group_is_the_same_all_school_year_and_moves_up_one_each_september(born, day):
    start = school_year_start(day)
    assert start <= day < start.replace(year=start.year + 1)
    group = year_group(born, day)
    assert year_group(born, start) == group
    assert year_group(born, start.replace(year=start.year + 1) - datetime.timedelta(days=1)) == group
    assert year_group(born, start.replace(year=start.year + 1)) == group + 1
    assert age_at_start_of_school_year(born, day) == group + 4


@given(born=births, day=days)
def test_the_key_stage_never_runs_ahead_of_the_age_on_the_day(born, day):
    group = year_group(born, day)
    # Within a school year a child is the year group's age (on 31 August) or one year older, never younger.
    assert age_on(born, day) in (group + 4, group + 5)
    expected = EARLY_YEARS if group < 1 else KS1 if group <= 2 else KS2 if group <= 6 else KS3 if group <= 9 else KS4
    assert key_stage(born, day) == (POST_16 if group >= 12 else expected)


@given(born=births, group=st.integers(min_value=0, max_value=13))
def test_the_school_year_of_a_year_group_is_the_one_in_which_the_child_is_in_it(born, group):
    start = school_year_starts_in_year_group(born, group)
    assert start.month == 9 and start.day == 1
    assert year_group(born, start) == group


@given(born=births)
def test_compulsory_school_age_lasts_from_age_5_to_the_summer_after_turning_16(born):
    starts, ends = compulsory_school_age_starts(born), compulsory_school_age_ends(born)
    assert age_on(born, starts) == 5
    assert (starts.month, starts.day) in ((3, 31), (8, 31), (12, 31))
    # Starts within one term of the fifth birthday: less than 5 months after it.
    assert (starts - born.replace(year=born.year + 5, day=min(born.day, 28))).days < 153 + 3
    assert ends.weekday() == 4 and ends.month == 6 and ends.day > 30 - 7
    assert age_on(born, ends) in (15, 16)
    assert year_group(born, ends) == 11
    assert is_compulsory_school_age(born, starts) and is_compulsory_school_age(born, ends)
    assert not is_compulsory_school_age(born, starts - datetime.timedelta(days=1))
    assert not is_compulsory_school_age(born, ends + datetime.timedelta(days=1))


@given(born=births, day=days, stage=st.sampled_from([EARLY_YEARS, KS1, KS2, KS3, KS4, POST_16]))
def test_the_dates_of_birth_of_a_key_stage_are_exactly_its_children(born, day, stage):
    """The pupils list filters by key stage in the database on these dates: they must agree with `key_stage`."""
    earliest, latest = dates_of_birth_in_key_stage(stage, day)
    within = (earliest is None or born >= earliest) and (latest is None or born <= latest)
    assert within == (key_stage(born, day) == stage)


def test_key_stage_3_in_2025_26_is_born_from_1_september_2011_to_31_august_2014():
    """Year 7 in September 2025 was 11 on 31 August 2025; Year 9 was 13 (the DfE's year-group table)."""
    assert dates_of_birth_in_key_stage(KS3, datetime.date(2026, 3, 2)) == (
        datetime.date(2011, 9, 1),
        datetime.date(2014, 8, 31),
    )
    assert dates_of_birth_in_key_stage(POST_16, datetime.date(2025, 9, 1)) == (None, datetime.date(2009, 8, 31))
    assert dates_of_birth_in_key_stage(EARLY_YEARS, datetime.date(2025, 8, 31)) == (datetime.date(2019, 9, 1), None)
