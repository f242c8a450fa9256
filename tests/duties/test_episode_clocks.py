"""Recording an episode starts its statutory clocks; a placement meets them, on time or visibly late."""

import datetime as dt

import pytest
import time_machine

from aphub.core.errors import DomainError
from aphub.duties import services
from aphub.duties.calendars import NoTermDates
from aphub.duties.models import Clock
from tests.factories import EnrolmentFactory, EpisodeFactory, LocalAuthorityFactory, PlacementFactory, route_for

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil(school):
    return EnrolmentFactory(pupil__local_authority=school.local_authority, school=school).pupil


def episode_of(pupil, kind, **fields):
    fields.setdefault("start_date", D(2026, 11, 3))  # a Tuesday in the autumn term
    return EpisodeFactory(pupil=pupil, route=route_for(pupil.local_authority, kind), **fields)


@time_machine.travel(D(2026, 11, 3))
def test_a_permanent_exclusion_starts_the_las_sixth_day_clock_and_the_schools_board_review(pupil, school):
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    clocks = {clock.rule: clock for clock in services.start_episode_clocks(episode=episode)}
    assert set(clocks) == {"permanent-exclusion", "governing-board-review"}
    sixth_day = clocks["permanent-exclusion"]
    assert (sixth_day.owner, sixth_day.owner_school, sixth_day.due_on) == ("la", None, D(2026, 11, 10))
    assert sixth_day.local_authority == pupil.local_authority and sixth_day.pupil == pupil
    assert sixth_day.state == Clock.State.OPEN
    board = clocks["governing-board-review"]
    assert (board.owner, board.owner_school, board.due_on) == ("school", school, D(2026, 11, 24))


@time_machine.travel(D(2026, 11, 3))
def test_starting_clocks_twice_starts_nothing_new(pupil, school):
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    first = services.start_episode_clocks(episode=episode)
    second = services.start_episode_clocks(episode=episode)
    assert {c.pk for c in first} == {c.pk for c in second}
    assert Clock.objects.filter(episode=episode).count() == 2


@time_machine.travel(D(2026, 11, 3))
def test_a_long_suspension_starts_the_schools_sixth_day_clock(pupil, school):
    episode = episode_of(pupil, "suspension", school=school, suspension_school_days=10)
    (clock,) = services.start_episode_clocks(episode=episode)
    assert (clock.rule, clock.owner, clock.owner_school, clock.due_on) == (
        "suspension",
        "school",
        school,
        D(2026, 11, 10),
    )


@time_machine.travel(D(2026, 11, 3))
def test_a_suspension_of_five_days_or_fewer_starts_no_clock(pupil, school):
    episode = episode_of(pupil, "suspension", school=school, suspension_school_days=5)
    assert services.start_episode_clocks(episode=episode) == []


@time_machine.travel(D(2026, 11, 3))
def test_a_suspension_over_15_days_also_needs_the_board(pupil, school):
    episode = episode_of(pupil, "suspension", school=school, suspension_school_days=16)
    assert {c.rule for c in services.start_episode_clocks(episode=episode)} == {"suspension", "governing-board-review"}


@time_machine.travel(D(2026, 11, 9))
def test_health_needs_are_due_at_once_and_already_due_soon(pupil, school):
    episode = episode_of(pupil, "health-needs", school=school, start_date=D(2026, 11, 9), days_missed=15)
    (clock,) = services.start_episode_clocks(episode=episode)
    assert (clock.rule, clock.owner, clock.due_on, clock.state) == ("health-needs", "la", D(2026, 11, 9), "due-soon")


@time_machine.travel(D(2026, 11, 3))
def test_a_child_awaiting_a_school_place_starts_the_fair_access_clock(pupil):
    episode = episode_of(pupil, "awaiting-school-place", school=None)
    (clock,) = services.start_episode_clocks(episode=episode)
    assert (clock.rule, clock.owner, clock.due_on) == ("fair-access", "la", D(2026, 12, 1))


@pytest.mark.parametrize("kind", ["short-term-intervention", "long-term-ap", "off-site-direction", "other-s19"])
def test_other_routes_start_no_statutory_clock(pupil, school, kind):
    assert services.start_episode_clocks(episode=episode_of(pupil, kind, school=school)) == []


@time_machine.travel(D(2026, 11, 3))
def test_the_schools_own_calendar_counts_its_pupils_clocks(pupil, school):
    services.load_term_dates(
        local_authority=school.local_authority,
        school=school,
        terms=[{"name": "Autumn 2026", "first_day": "2026-09-07", "last_day": "2026-12-16"}],
        closures=[{"date": "2026-11-05", "reason": "INSET day"}],
    )
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    clocks = {clock.rule: clock for clock in services.start_episode_clocks(episode=episode)}
    assert clocks["permanent-exclusion"].due_on == D(2026, 11, 11)  # its INSET day on Thu 5 Nov is not counted


def test_an_episode_outside_the_term_dates_is_refused_with_a_clear_sentence(school):
    pupil = EnrolmentFactory(pupil__local_authority=school.local_authority, school=school).pupil
    episode = episode_of(pupil, "permanent-exclusion", school=school, start_date=D(2029, 11, 6))
    with pytest.raises(NoTermDates, match="do not cover 6 November 2029"):
        services.start_episode_clocks(episode=episode)
    assert not Clock.objects.exists()


def test_an_la_with_no_term_dates_is_told_to_add_them(db):
    la = LocalAuthorityFactory(name="Newtown Council")
    pupil = EnrolmentFactory(pupil__local_authority=la, school__local_authority=la).pupil
    episode = episode_of(pupil, "permanent-exclusion")
    with pytest.raises(DomainError, match="The term dates of Newtown Council do not cover 3 November 2026"):
        services.start_episode_clocks(episode=episode)


@time_machine.travel(D(2026, 11, 3))
def test_a_placement_starting_in_time_meets_the_education_clock_but_not_the_board(pupil, school):
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    services.start_episode_clocks(episode=episode)
    placement = PlacementFactory(pupil=pupil, episode=episode, start_date=D(2026, 11, 10))
    (met,) = services.meet_episode_clocks(episode=episode, placement=placement, on=D(2026, 11, 10))
    met.refresh_from_db()
    assert (met.rule, met.state, met.met_on, met.met_by) == ("permanent-exclusion", "met", D(2026, 11, 10), placement)
    assert met.met_on <= met.due_on
    board = Clock.objects.get(episode=episode, rule="governing-board-review")
    assert board.state == "open"


@time_machine.travel(D(2026, 11, 3))
def test_a_clock_met_late_stays_visibly_late(pupil, school):
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    services.start_episode_clocks(episode=episode)
    placement = PlacementFactory(pupil=pupil, episode=episode, start_date=D(2026, 11, 17))
    services.meet_episode_clocks(episode=episode, placement=placement, on=D(2026, 11, 17))
    clock = Clock.objects.get(episode=episode, rule="permanent-exclusion")
    assert clock.state == "met" and clock.met_on > clock.due_on


@time_machine.travel(D(2026, 11, 3))
def test_a_placement_of_another_episode_cannot_meet_the_clocks(pupil, school):
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    services.start_episode_clocks(episode=episode)
    other = PlacementFactory(pupil=pupil, start_date=D(2026, 11, 10))
    with pytest.raises(DomainError, match="another episode"):
        services.meet_episode_clocks(episode=episode, placement=other, on=D(2026, 11, 10))
    assert Clock.objects.get(episode=episode, rule="permanent-exclusion").state == "open"


@time_machine.travel(D(2026, 11, 3))
def test_a_placement_cannot_meet_a_clock_before_it_started(pupil, school):
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    services.start_episode_clocks(episode=episode)
    placement = PlacementFactory(pupil=pupil, episode=episode, start_date=D(2026, 11, 2))
    with pytest.raises(DomainError, match="before the"):
        services.meet_episode_clocks(episode=episode, placement=placement, on=D(2026, 11, 2))


@time_machine.travel(D(2026, 11, 3))
def test_closing_an_episode_stops_its_running_clocks_but_not_met_ones(pupil, school):
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    services.start_episode_clocks(episode=episode)
    placement = PlacementFactory(pupil=pupil, episode=episode, start_date=D(2026, 11, 10))
    services.meet_episode_clocks(episode=episode, placement=placement, on=D(2026, 11, 10))
    assert services.stop_episode_clocks(episode=episode, on=D(2026, 11, 20)) == 1
    board = Clock.objects.get(episode=episode, rule="governing-board-review")
    assert (board.state, board.stopped_on, board.met_on) == ("stopped", D(2026, 11, 20), None)
    assert Clock.objects.get(episode=episode, rule="permanent-exclusion").state == "met"


@time_machine.travel(D(2026, 11, 3))
def test_earliest_due_date_is_the_nearest_running_education_duty(pupil, school):
    assert services.earliest_due_date(pupil=pupil) is None
    episode = episode_of(pupil, "permanent-exclusion", school=school)
    services.start_episode_clocks(episode=episode)
    assert services.earliest_due_date(pupil=pupil) == D(2026, 11, 10)
    placement = PlacementFactory(pupil=pupil, episode=episode, start_date=D(2026, 11, 10))
    services.meet_episode_clocks(episode=episode, placement=placement, on=D(2026, 11, 10))
    # The board's review still runs, but it is no reason to be served first on a waiting list.
    assert services.earliest_due_date(pupil=pupil) is None
