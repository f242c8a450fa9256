"""The duty rules: worked examples from the law's own cases, and every school-day rule against a day-by-day oracle."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aphub.core.days.school_days import SchoolCalendar
from aphub.duties import rules
from aphub.duties.rules import RULES, due_date

D = dt.date

# Autumn and spring 2026-27 with the October half-term as a gap, an INSET day and England's bank holidays.
TERMS = [
    (D(2026, 9, 1), D(2026, 10, 23)),
    (D(2026, 11, 2), D(2026, 12, 18)),
    (D(2027, 1, 4), D(2027, 2, 12)),
    (D(2027, 4, 12), D(2027, 5, 28)),
]
CALENDAR = SchoolCalendar.for_england(TERMS, inset_days={D(2027, 1, 4)})


def test_a_tuesday_permanent_exclusion_is_due_on_the_following_tuesday():
    # Tue 3 Nov is day 1; Wed, Thu, Fri, Mon are days 2 to 5; Tue 10 Nov is the sixth school day.
    assert due_date("permanent-exclusion", D(2026, 11, 3), CALENDAR) == D(2026, 11, 10)


def test_an_exclusion_over_half_term_skips_the_holiday_week():
    # Wed 21, Thu 22, Fri 23 Oct are days 1-3; half-term 26-30 Oct; Mon 2, Tue 3 Nov days 4-5; Wed 4 Nov day 6.
    assert due_date("permanent-exclusion", D(2026, 10, 21), CALENDAR) == D(2026, 11, 4)


def test_an_exclusion_starting_on_a_saturday_counts_from_the_monday():
    assert due_date("permanent-exclusion", D(2026, 11, 7), CALENDAR) == D(2026, 11, 16)


def test_a_bank_holiday_inside_term_is_not_a_school_day():
    # Thu 29 Apr 2027 day 1, Fri 30 day 2, Mon 3 May is the May Day bank holiday, Tue 4 to Fri 7 days 3 to 6.
    assert due_date("permanent-exclusion", D(2027, 4, 29), CALENDAR) == D(2027, 5, 7)


def test_an_inset_day_is_not_a_school_day():
    # Mon 4 Jan 2027 is an INSET day, so Tue 5 Jan is day 1 and Tue 12 Jan day 6.
    assert due_date("suspension", D(2027, 1, 4), CALENDAR) == D(2027, 1, 12)


def test_a_suspension_counts_like_an_exclusion():
    assert due_date("suspension", D(2026, 11, 3), CALENDAR) == D(2026, 11, 10)


def test_the_governing_board_has_15_school_days_after_the_notice():
    # Notice on Tue 3 Nov is not counted: Wed 4 Nov is day 1 and Tue 24 Nov day 15.
    assert due_date("governing-board-review", D(2026, 11, 3), CALENDAR) == D(2026, 11, 24)


def test_fair_access_allows_20_school_days_after_the_referral():
    # Referral on Tue 3 Nov: Wed 4 Nov is day 1, Tue 1 Dec day 20.
    assert due_date("fair-access", D(2026, 11, 3), CALENDAR) == D(2026, 12, 1)


def test_health_needs_are_due_the_day_it_becomes_clear():
    assert due_date("health-needs", D(2026, 11, 7), CALENDAR) == D(2026, 11, 7)


@pytest.mark.parametrize("slug", ["placement-review", "planned-end", "part-time-review"])
def test_placement_clocks_are_due_on_the_date_the_placement_set(slug):
    # Outside any term too: the date comes from the placement, not from a count of school days.
    assert due_date(slug, D(2027, 8, 14), CALENDAR) == D(2027, 8, 14)


def test_an_unknown_rule_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="'sixth-day'"):
        due_date("sixth-day", D(2026, 11, 3), CALENDAR)


def test_a_calendar_that_ends_too_soon_says_so():
    with pytest.raises(ValueError, match="school calendar ends before"):
        due_date("permanent-exclusion", D(2027, 5, 26), CALENDAR)


def test_every_rule_cites_its_source_and_has_an_owner():
    for slug, rule in RULES.items():
        assert rule.slug == slug
        assert rule.title and rule.source and rule.owner
        assert type(rule).__doc__ and len(type(rule).__doc__) > 80, slug


def test_education_rules_are_the_ones_a_placement_meets():
    assert set(rules.EDUCATION_RULES) == {"permanent-exclusion", "suspension", "health-needs", "fair-access"}


# --- Property-based: each school-day rule against the slow, obviously right count -----------------------------


class Oracle:
    """Walk the calendar one day at a time."""

    def __init__(self, terms, closures):
        self.terms, self.closures = terms, set(closures)

    def is_school_day(self, day):
        return day.weekday() < 5 and day not in self.closures and any(a <= day <= b for a, b in self.terms)

    def nth_from(self, day, n):
        """The n-th school day counting `day` itself when it is one; None when the terms run out first."""
        end = max((b for _, b in self.terms), default=day)
        count = 0
        while day <= end:
            if self.is_school_day(day):
                count += 1
                if count == n:
                    return day
            day += dt.timedelta(days=1)
        return None


# The day-by-day meaning of each rule, written out separately from the rules module.
ORACLE_RULES = {
    "permanent-exclusion": lambda oracle, event: oracle.nth_from(event, 6),
    "suspension": lambda oracle, event: oracle.nth_from(event, 6),
    "governing-board-review": lambda oracle, event: oracle.nth_from(event + dt.timedelta(days=1), 15),
    "fair-access": lambda oracle, event: oracle.nth_from(event + dt.timedelta(days=1), 20),
}

BASE = D(2026, 8, 24)
days = st.integers(min_value=0, max_value=240).map(lambda n: BASE + dt.timedelta(days=n))


@st.composite
def calendars(draw):
    """Random terms (possibly overlapping, possibly none) and random closures, some of them outside term."""
    terms = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        first = draw(days)
        terms.append((first, first + dt.timedelta(days=draw(st.integers(min_value=0, max_value=70)))))
    closures = draw(st.lists(days, max_size=20))
    return terms, closures


@settings(max_examples=300, deadline=None)
@given(calendars(), days, st.sampled_from(sorted(ORACLE_RULES)))
def test_school_day_rules_match_the_day_by_day_oracle(calendar, event, slug):
    terms, closures = calendar
    expected = ORACLE_RULES[slug](Oracle(terms, closures), event)
    school_calendar = SchoolCalendar(terms, closures)
    if expected is None:
        with pytest.raises(ValueError, match="school calendar ends before"):
            due_date(slug, event, school_calendar)
    else:
        assert due_date(slug, event, school_calendar) == expected


@settings(max_examples=200, deadline=None)
@given(calendars(), days)
def test_the_sixth_day_is_a_school_day_with_five_school_days_before_it_from_the_event(calendar, event):
    terms, closures = calendar
    school_calendar = SchoolCalendar(terms, closures)
    try:
        due = due_date("permanent-exclusion", event, school_calendar)
    except ValueError:
        return
    assert school_calendar.is_school_day(due)
    assert school_calendar.school_days_between(event, due) == 6
