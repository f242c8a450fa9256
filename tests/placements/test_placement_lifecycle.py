"""Every allowed move of the placement state machine, by the right side only, and every forbidden one refused."""

import datetime
import itertools

import pytest
import time_machine

from aphub.core.errors import DomainError, InvalidTransition, NotPermitted
from aphub.duties.models import Clock
from aphub.placements import services
from aphub.placements.models import Destination, Episode, Placement

D = datetime.date
STATUSES = Placement.Status.values
ACTIONS = ("accept", "decline", "cancel", "start", "end")


@pytest.fixture
def offered(town):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    return services.offer_placement(
        user=town.officer,
        episode=episode,
        provision=town.provision(),
        start_date=D(2026, 11, 10),
        tier="2",
        sessions_per_week=10,
        hours_per_week="25",
        annual_cost="18000",
    )


def act(town, placement, action, user):
    if action == "accept":
        return services.accept_placement(user=user, placement=placement)
    if action == "decline":
        return services.decline_placement(user=user, placement=placement, reason="No key stage 4 teacher")
    if action == "cancel":
        return services.cancel_placement(user=user, placement=placement, reason="Parent chose elective home education")
    if action == "start":
        return services.start_placement(user=user, placement=placement, on=D(2026, 11, 10))
    return services.end_placement(
        user=user, placement=placement, end_date=D(2026, 11, 10), destination=Destination.SAME_SCHOOL
    )


@pytest.mark.parametrize(("status", "action"), list(itertools.product(STATUSES, ACTIONS)))
def test_every_move_is_allowed_for_its_side_and_refused_otherwise(town, offered, status, action):
    Placement.objects.filter(pk=offered.pk).update(status=status)
    offered.refresh_from_db()
    move = services.TRANSITIONS.get((status, action))
    provider, commissioner = town.p1_staff, town.officer
    if move is None:
        for user in (provider, commissioner):
            with pytest.raises(InvalidTransition):
                act(town, offered, action, user)
        return
    wrong = [u for side, u in (("provider", provider), ("commissioner", commissioner)) if side not in move.by]
    for user in [*wrong, town.p2_staff, town.school_b_staff, town.auditor]:
        with pytest.raises((NotPermitted, DomainError)):
            act(town, offered, action, user)
        offered.refresh_from_db()
        assert offered.status == status
    right = provider if "provider" in move.by else commissioner
    moved = act(town, offered, action, right)
    assert moved.status == move.to


def test_starting_a_full_time_placement_meets_the_sixth_day_clock_and_ending_it_closes_the_episode(town, offered):
    services.accept_placement(user=town.p1_staff, placement=offered)
    started = services.start_placement(user=town.p1_staff, placement=offered, on=D(2026, 11, 10))
    clock = Clock.objects.get(episode=started.episode, rule="permanent-exclusion")
    assert clock.state == Clock.State.MET and clock.met_by == started and clock.met_on == D(2026, 11, 10)
    assert clock.due_on == D(2026, 11, 10)  # Tuesday 3 November is day 1; the sixth school day is Tuesday 10th
    review = Clock.objects.get(placement=started, rule="placement-review")
    assert review.due_on == started.next_review_due
    ended = services.end_placement(
        user=town.officer,
        placement=started,
        end_date=D(2026, 11, 10),
        destination=Destination.NEW_SCHOOL,
        destination_school=town.school_b,
    )
    assert ended.episode.status == Episode.Status.CLOSED
    assert not Clock.objects.filter(placement=started, state__in=Clock.RUNNING_STATES).exists()
    assert ended.follow_ups.count() == 2


def test_ending_needs_a_destination_school_for_a_new_school(town, offered):
    services.accept_placement(user=town.p1_staff, placement=offered)
    services.start_placement(user=town.p1_staff, placement=offered)
    with pytest.raises(DomainError, match="school the child is going to"):
        services.end_placement(
            user=town.officer, placement=offered, end_date=D(2026, 11, 10), destination=Destination.NEW_SCHOOL
        )
    offered.refresh_from_db()
    assert offered.status == Placement.Status.ACTIVE


def test_a_first_day_in_the_future_is_refused(town, offered):
    services.accept_placement(user=town.p1_staff, placement=offered)
    with pytest.raises(DomainError, match="future"):
        services.start_placement(user=town.p1_staff, placement=offered, on=D(2026, 11, 11))


def test_the_end_is_recorded_once_the_child_has_left_not_ahead(town, offered):
    services.accept_placement(user=town.p1_staff, placement=offered)
    services.start_placement(user=town.p1_staff, placement=offered, on=D(2026, 11, 10))
    with pytest.raises(DomainError, match="cannot be in the future"):
        services.end_placement(
            user=town.officer, placement=offered, end_date=D(2026, 11, 11), destination=Destination.SAME_SCHOOL
        )
    offered.refresh_from_db()
    assert offered.status == Placement.Status.ACTIVE


def test_the_end_cannot_leave_register_marks_after_the_last_day(town, offered):
    from aphub.placements.attendance.services import record_register

    services.accept_placement(user=town.p1_staff, placement=offered)
    services.start_placement(user=town.p1_staff, placement=offered, on=D(2026, 11, 10))
    with time_machine.travel(datetime.datetime(2026, 11, 12, 9, 30, tzinfo=datetime.UTC), tick=False):
        record_register(
            user=town.p1_staff, provision=offered.provision, date=D(2026, 11, 11), session="AM",
            marks={offered.pk: ("/", "")},
        )  # fmt: skip
        with pytest.raises(DomainError, match="a mark for Wednesday 11 November 2026, after this last day"):
            services.end_placement(
                user=town.officer, placement=offered, end_date=D(2026, 11, 10), destination=Destination.SAME_SCHOOL
            )
        ended = services.end_placement(
            user=town.officer, placement=offered, end_date=D(2026, 11, 11), destination=Destination.SAME_SCHOOL
        )
    assert ended.status == Placement.Status.ENDED
