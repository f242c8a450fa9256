import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aphub.core.days.school_days import (
    SchoolCalendar,
    england_bank_holidays,
    is_weekend,
    next_weekday,
    previous_weekday,
    weekdays_back_from,
    weekdays_between,
)

D = dt.date


class Oracle:
    """The slow, obviously right version: walk the calendar one day at a time."""

    def __init__(self, terms, closures):
        self.terms = terms
        self.closures = set(closures)

    def is_school_day(self, day):
        return (
            day.weekday() < 5 and day not in self.closures and any(first <= day <= last for first, last in self.terms)
        )

    def last_day(self):
        return max((last for _, last in self.terms), default=D(2000, 1, 1))

    def nth_school_day(self, start, n):
        day, count = start, 0
        while day <= self.last_day():
            if self.is_school_day(day):
                count += 1
                if count == n:
                    return day
            day += dt.timedelta(days=1)
        return None

    def school_days_between(self, first, last):
        count, day = 0, first
        while day <= last:
            count += self.is_school_day(day)
            day += dt.timedelta(days=1)
        return count


BASE = D(2026, 8, 24)
days_after_base = st.integers(min_value=0, max_value=200).map(lambda n: BASE + dt.timedelta(days=n))


@st.composite
def calendars(draw):
    terms = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        first = draw(days_after_base)
        length = draw(st.integers(min_value=0, max_value=60))
        terms.append((first, first + dt.timedelta(days=length)))
    closures = draw(st.lists(days_after_base, max_size=15))
    return terms, closures


@settings(max_examples=200)
@given(calendars(), days_after_base)
def test_is_school_day_matches_the_day_by_day_oracle(calendar, day):
    terms, closures = calendar
    assert SchoolCalendar(terms, closures).is_school_day(day) == Oracle(terms, closures).is_school_day(day)


@settings(max_examples=200)
@given(calendars(), days_after_base, st.integers(min_value=1, max_value=150))
def test_nth_school_day_matches_the_oracle_or_says_the_calendar_ran_out(calendar, start, n):
    terms, closures = calendar
    expected = Oracle(terms, closures).nth_school_day(start, n)
    if expected is None:
        with pytest.raises(ValueError, match="school calendar ends before"):
            SchoolCalendar(terms, closures).nth_school_day(start, n)
    else:
        assert SchoolCalendar(terms, closures).nth_school_day(start, n) == expected


@settings(max_examples=200)
@given(calendars(), days_after_base, days_after_base)
def test_school_days_between_matches_the_oracle(calendar, first, last):
    terms, closures = calendar
    assert SchoolCalendar(terms, closures).school_days_between(first, last) == Oracle(
        terms, closures
    ).school_days_between(first, last)


@settings(max_examples=200)
@given(calendars(), days_after_base, days_after_base)
def test_counting_to_a_school_day_and_stepping_that_many_lands_on_it(calendar, start, target):
    calendar = SchoolCalendar(*calendar)
    if target < start or not calendar.is_school_day(target):
        return
    assert calendar.nth_school_day(start, calendar.school_days_between(start, target)) == target


@settings(max_examples=200)
@given(calendars(), days_after_base, st.integers(min_value=0, max_value=150))
def test_school_day_back_matches_a_day_by_day_walk_back_or_says_the_calendar_starts_later(calendar, on, back):
    terms, closures = calendar
    oracle = Oracle(terms, closures)
    earliest = min((first for first, _ in terms), default=on)
    school_days = [day for day in _days(earliest, on) if oracle.is_school_day(day)][::-1]
    expected = school_days[back] if back < len(school_days) else None
    if expected is None:
        with pytest.raises(ValueError, match="school calendar starts after"):
            SchoolCalendar(terms, closures).school_day_back(on, back)
    else:
        assert SchoolCalendar(terms, closures).school_day_back(on, back) == expected


@given(calendars(), days_after_base)
def test_next_school_day_is_the_first_school_day_on_or_after(calendar, day):
    terms, closures = calendar
    expected = Oracle(terms, closures).nth_school_day(day, 1)
    if expected is None:
        with pytest.raises(ValueError):
            SchoolCalendar(terms, closures).next_school_day(day)
    else:
        assert SchoolCalendar(terms, closures).next_school_day(day) == expected


# A real-shaped year: autumn term 2026 with an INSET day, a half-term and the Christmas break.
AUTUMN_1 = (D(2026, 9, 1), D(2026, 10, 23))  # Tue 1 Sep (INSET) to Fri 23 Oct
AUTUMN_2 = (D(2026, 11, 2), D(2026, 12, 18))  # half-term 26-30 Oct; Mon 2 Nov to Fri 18 Dec
SPRING_1 = (D(2027, 1, 4), D(2027, 2, 12))  # Mon 4 Jan (INSET) to Fri 12 Feb
SUMMER_1 = (D(2027, 4, 12), D(2027, 5, 28))  # includes the early May bank holiday, Mon 3 May 2027
INSET = [D(2026, 9, 1), D(2027, 1, 4)]


@pytest.fixture
def autumn():
    return SchoolCalendar.for_england([AUTUMN_1, AUTUMN_2, SPRING_1, SUMMER_1], inset_days=INSET)


def test_weekends_half_terms_holidays_inset_and_bank_holidays_are_not_school_days(autumn):
    assert autumn.is_school_day(D(2026, 9, 2))  # first day for pupils
    assert not autumn.is_school_day(D(2026, 9, 1))  # INSET
    assert not autumn.is_school_day(D(2026, 9, 5))  # Saturday
    assert not autumn.is_school_day(D(2026, 10, 27))  # half-term
    assert not autumn.is_school_day(D(2026, 12, 25))  # Christmas holiday
    assert not autumn.is_school_day(D(2027, 5, 3))  # early May bank holiday, inside the summer term
    assert autumn.is_school_day(D(2027, 5, 4))


def test_excluded_on_a_tuesday_mid_term_the_6th_school_day_is_the_next_tuesday(autumn):
    # Education Act 1996 s.19: full-time education from the sixth school day of a permanent exclusion.
    assert autumn.nth_school_day(D(2026, 11, 10), 6) == D(2026, 11, 17)


def test_excluded_on_the_tuesday_before_half_term_the_6th_school_day_is_after_it(autumn):
    # Tue 20, Wed 21, Thu 22, Fri 23 Oct; half-term; Mon 2 Nov is the 5th, Tue 3 Nov the 6th.
    assert autumn.nth_school_day(D(2026, 10, 20), 6) == D(2026, 11, 3)


def test_excluded_on_the_last_tuesday_of_term_the_6th_school_day_skips_christmas_and_inset(autumn):
    # Tue 15 to Fri 18 Dec are days 1-4; Mon 4 Jan is INSET; Tue 5 Jan is the 5th, Wed 6 Jan the 6th.
    assert autumn.nth_school_day(D(2026, 12, 15), 6) == D(2027, 1, 6)


def test_counting_from_a_weekend_starts_on_the_monday(autumn):
    assert autumn.nth_school_day(D(2026, 11, 7), 1) == D(2026, 11, 9)
    assert autumn.next_school_day(D(2026, 10, 24)) == D(2026, 11, 2)
    assert autumn.next_school_day(D(2026, 11, 9)) == D(2026, 11, 9)


def test_school_days_in_the_autumn_term(autumn):
    # Sep 2-30: 21 days; Oct 1-23: 17; Nov 2-30: 21; Dec 1-18: 14.
    assert autumn.school_days_between(D(2026, 9, 1), D(2026, 12, 31)) == 73
    assert autumn.school_days_between(D(2026, 10, 23), D(2026, 11, 2)) == 2
    assert autumn.school_days_between(D(2026, 11, 2), D(2026, 10, 23)) == 0


def test_running_off_the_end_of_the_calendar_is_an_error(autumn):
    with pytest.raises(ValueError, match="add the next term's dates"):
        autumn.nth_school_day(D(2027, 5, 20), 15)


def test_counting_from_zero_is_refused(autumn):
    with pytest.raises(ValueError):
        autumn.nth_school_day(D(2026, 11, 10), 0)


def test_a_term_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="cannot end"):
        SchoolCalendar([(D(2026, 9, 10), D(2026, 9, 1))])


def test_england_bank_holidays_include_substitute_days():
    days = england_bank_holidays([2026, 2027])
    assert D(2026, 12, 28) in days  # Boxing Day 2026 is a Saturday: substitute Monday
    assert D(2027, 3, 29) in days  # Easter Monday
    assert D(2026, 3, 17) not in days  # St Patrick's Day is a holiday in Northern Ireland only


def test_bank_holidays_outside_term_do_not_matter():
    calendar = SchoolCalendar.for_england([(D(2026, 12, 21), D(2026, 12, 31))])
    assert [calendar.nth_school_day(D(2026, 12, 21), n) for n in range(1, 7)] == [
        D(2026, 12, 21),
        D(2026, 12, 22),
        D(2026, 12, 23),
        D(2026, 12, 24),
        D(2026, 12, 29),
        D(2026, 12, 30),
    ]


# --- Weekdays: the calendar-free question (a weekday is not yet a school day) -----------------------------------

any_day = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


@given(any_day)
def test_is_weekend_is_saturday_or_sunday(day):
    assert is_weekend(day) == (day.isoweekday() in (6, 7))


@given(any_day, st.integers(min_value=-3, max_value=400))
def test_weekdays_between_matches_a_day_by_day_count(first, length):
    last = first + dt.timedelta(days=length)
    assert weekdays_between(first, last) == sum(not is_weekend(day) for day in _days(first, last))


@given(any_day)
def test_previous_and_next_weekday_are_the_nearest_weekdays_either_side(day):
    before, after = previous_weekday(day), next_weekday(day)
    assert before < day < after
    assert not is_weekend(before) and not is_weekend(after)
    assert all(is_weekend(between) for between in _days(before + dt.timedelta(days=1), day - dt.timedelta(days=1)))
    assert all(is_weekend(between) for between in _days(day + dt.timedelta(days=1), after - dt.timedelta(days=1)))


@given(any_day, st.integers(min_value=0, max_value=60))
def test_weekdays_back_from_lists_every_weekday_newest_first(last, length):
    first = last - dt.timedelta(days=length)
    expected = [day for day in _days(first, last) if not is_weekend(day)][::-1]
    assert list(weekdays_back_from(last, first)) == expected


def test_the_weekday_around_a_weekend_is_friday_or_monday():
    saturday, sunday, monday = D(2026, 11, 7), D(2026, 11, 8), D(2026, 11, 9)
    assert previous_weekday(saturday) == previous_weekday(sunday) == previous_weekday(monday) == D(2026, 11, 6)
    assert next_weekday(D(2026, 11, 6)) == next_weekday(saturday) == next_weekday(sunday) == monday
    assert weekdays_between(D(2026, 11, 6), monday) == 2
