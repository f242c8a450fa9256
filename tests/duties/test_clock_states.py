"""Clock states move with the school days: open, due soon within the LA's window, breached once the day passes."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aphub.duties import services
from aphub.duties.calendars import calendar_for
from aphub.duties.models import Clock, LocalPolicy
from tests.factories import EpisodeFactory, LocalAuthorityFactory, PupilFactory, route_for

D = dt.date
pytestmark = pytest.mark.django_db


TUESDAY = D(2026, 11, 3)


def exclusion_clock(la, start=TUESDAY, school=None):
    """A permanent exclusion's sixth-day clock, due on the following Tuesday."""
    pupil = PupilFactory(local_authority=la)
    episode = EpisodeFactory(pupil=pupil, route=route_for(la, "permanent-exclusion"), start_date=start, school=school)
    with time_machine.travel(start):
        return services.start_episode_clocks(episode=episode)[0]


def state_of(clock):
    clock.refresh_from_db()
    return clock.state


def test_a_clock_is_due_soon_three_school_days_before_it_is_due(la):
    clock = exclusion_clock(la)  # due Tue 10 Nov 2026
    assert services.refresh_states(today=D(2026, 11, 4), local_authority=la) == 0
    assert state_of(clock) == "open"  # Thu, Fri, Mon, Tue: 4 school days left
    assert services.refresh_states(today=D(2026, 11, 5), local_authority=la) == 1
    assert state_of(clock) == "due-soon"  # Fri, Mon, Tue: 3 left
    assert services.refresh_states(today=D(2026, 11, 10), local_authority=la) == 0
    assert state_of(clock) == "due-soon"  # due today
    assert services.refresh_states(today=D(2026, 11, 11), local_authority=la) == 1
    assert state_of(clock) == "breached"


def test_the_las_policy_sets_the_due_soon_window(la):
    LocalPolicy.objects.create(local_authority=la, due_soon_school_days=1)
    clock = exclusion_clock(la)
    services.refresh_states(today=D(2026, 11, 6), local_authority=la)  # Mon, Tue left
    assert state_of(clock) == "open"
    services.refresh_states(today=D(2026, 11, 9), local_authority=la)
    assert state_of(clock) == "due-soon"


def test_weekends_and_holidays_are_not_counted_as_days_left(la):
    # Excluded Wed 21 Oct 2026, due Wed 4 Nov after half-term. On Fri 23 Oct three school days are left (2, 3, 4 Nov).
    clock = exclusion_clock(la, start=D(2026, 10, 21))
    assert clock.due_on == D(2026, 11, 4)
    services.refresh_states(today=D(2026, 10, 23), local_authority=la)
    assert state_of(clock) == "due-soon"


def test_met_and_stopped_clocks_are_left_alone(la):
    clock = exclusion_clock(la)
    Clock.objects.filter(pk=clock.pk).update(state="met", met_on=D(2026, 11, 9))
    services.refresh_states(today=D(2027, 1, 20))
    assert state_of(clock) == "met"


def test_refresh_without_an_la_covers_every_la_and_only_that_la_when_given(la):
    other = LocalAuthorityFactory()
    services.load_term_dates(local_authority=other, **services.default_term_dates())
    mine, theirs = exclusion_clock(la), exclusion_clock(other)
    services.refresh_states(today=D(2026, 11, 20), local_authority=la)
    assert (state_of(mine), state_of(theirs)) == ("breached", "open")
    assert services.refresh_states(today=D(2026, 11, 20)) == 1
    assert state_of(theirs) == "breached"


def test_refresh_uses_a_constant_number_of_queries(la):
    for _ in range(3):
        exclusion_clock(la)
    with CaptureQueriesContext(connection) as few:
        services.refresh_states(today=D(2026, 11, 20))
    for _ in range(12):
        exclusion_clock(la)
    with CaptureQueriesContext(connection) as many:
        services.refresh_states(today=D(2026, 11, 20))
    assert len(many) == len(few)


def test_days_past_the_known_terms_count_as_weekdays(la):
    calendar = calendar_for(local_authority=la)
    # The known terms end on Fri 21 Jul 2028; a review set for the following September is not 'due soon'.
    assert services.school_days_left(calendar, D(2028, 7, 20), D(2028, 9, 15)) > 30


def test_an_la_with_no_term_dates_still_counts_weekdays(db):
    la = LocalAuthorityFactory()
    calendar = calendar_for(local_authority=la)
    assert services.school_days_left(calendar, D(2026, 11, 6), D(2026, 11, 13)) == 5


def test_changing_the_term_dates_moves_the_due_dates_of_running_clocks(la):
    clock = exclusion_clock(la)  # due Tue 10 Nov
    with time_machine.travel(D(2026, 11, 4)):
        services.add_closure(user=None, local_authority=la, date=D(2026, 11, 6), reason="Staff training")
    clock.refresh_from_db()
    assert clock.due_on == D(2026, 11, 11)
