"""A placement's own clocks: its next review, planned end and part-time review, owned by the commissioner."""

import datetime as dt

import pytest

from aphub.core.errors import DomainError
from aphub.duties import services
from aphub.duties.models import Clock
from tests.factories import PlacementFactory

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(D(2026, 11, 10))


@pytest.fixture
def placement(la):
    return PlacementFactory(
        pupil__local_authority=la,
        start_date=D(2026, 11, 10),
        next_review_due=D(2026, 12, 15),
        planned_end_date=D(2027, 3, 25),
    )


def test_a_placement_starts_a_clock_for_each_date_it_sets(placement):
    clocks = {clock.rule: clock for clock in services.start_placement_clocks(placement=placement)}
    assert set(clocks) == {"placement-review", "planned-end"}  # full time: no part-time review
    assert clocks["placement-review"].due_on == D(2026, 12, 15)
    assert clocks["planned-end"].due_on == D(2027, 3, 25)
    for clock in clocks.values():
        assert (clock.owner, clock.owner_school, clock.placement, clock.episode) == (
            "commissioner",
            None,
            placement,
            placement.episode,
        )
        assert clock.state == "open"


def test_starting_placement_clocks_twice_starts_nothing_new(placement):
    services.start_placement_clocks(placement=placement)
    services.start_placement_clocks(placement=placement)
    assert Clock.objects.filter(placement=placement).count() == 2


def test_a_part_time_placement_is_reviewed_on_its_review_date(la, school):
    placement = PlacementFactory(
        pupil__local_authority=la,
        commissioner="school",
        commissioning_school=school,
        is_full_time=False,
        part_time_reason="Building up to full time after a long absence",
        part_time_review_date=D(2026, 12, 4),
    )
    (clock,) = services.start_placement_clocks(placement=placement)
    assert (clock.rule, clock.due_on, clock.owner, clock.owner_school) == (
        "part-time-review",
        D(2026, 12, 4),
        "commissioner",
        school,
    )


def test_a_review_meets_the_running_clock_and_starts_the_next(placement):
    services.start_placement_clocks(placement=placement)
    new = services.reset_placement_clock(placement=placement, rule="placement-review", due_on=D(2027, 1, 26))
    old = Clock.objects.get(placement=placement, rule="placement-review", state="met")
    assert (old.met_on, old.met_by, old.due_on) == (D(2026, 11, 10), placement, D(2026, 12, 15))
    assert (new.state, new.due_on, new.started_on) == ("open", D(2027, 1, 26), D(2026, 11, 10))
    assert Clock.objects.filter(placement=placement, rule="placement-review").running().count() == 1


def test_a_review_date_in_the_past_is_refused(placement):
    with pytest.raises(DomainError, match="must be on or after 10 November 2026"):
        services.reset_placement_clock(placement=placement, rule="placement-review", due_on=D(2026, 11, 1))


def test_only_placement_clocks_can_be_reset(placement):
    with pytest.raises(ValueError, match="not a placement clock"):
        services.reset_placement_clock(placement=placement, rule="permanent-exclusion", due_on=D(2026, 12, 1))


def test_ending_a_placement_stops_its_clocks(placement):
    services.start_placement_clocks(placement=placement)
    assert services.stop_placement_clocks(placement=placement, on=D(2026, 11, 20)) == 2
    assert set(Clock.objects.filter(placement=placement).values_list("state", "stopped_on")) == {
        ("stopped", D(2026, 11, 20))
    }
