"""An episode recorded in error: its clocks are withdrawn (kept, never running again) or counted again."""

import datetime as dt

import pytest
import time_machine

from aphub.duties import services
from aphub.duties.models import Clock
from tests.factories import EnrolmentFactory, EpisodeFactory, route_for

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(school):
    pupil = EnrolmentFactory(pupil__local_authority=school.local_authority, school=school).pupil
    episode = EpisodeFactory(
        pupil=pupil, route=route_for(pupil.local_authority, "permanent-exclusion"), school=school,
        start_date=D(2026, 11, 3),
    )  # fmt: skip
    services.start_episode_clocks(episode=episode)
    return episode


@time_machine.travel(D(2026, 11, 12))
def test_withdrawn_clocks_are_kept_and_no_sweep_or_reminder_touches_them(episode):
    withdrawn = services.withdraw_episode_clocks(episode=episode, on=D(2026, 11, 12))
    assert len(withdrawn) == 2
    assert set(Clock.objects.filter(episode=episode).values_list("state", "stopped_on")) == {
        (Clock.State.WITHDRAWN, D(2026, 11, 12))
    }
    swept = services.sweep(today=D(2026, 11, 30))
    assert set(Clock.objects.filter(episode=episode).values_list("state", flat=True)) == {Clock.State.WITHDRAWN}
    assert not Clock.objects.filter(episode=episode, reminders__isnull=False).exists()
    assert swept is not None


@time_machine.travel(D(2026, 11, 4))
def test_a_withdrawn_clock_does_not_stop_the_same_duty_starting_again(episode):
    services.withdraw_episode_clocks(episode=episode, on=D(2026, 11, 4))
    started = services.start_episode_clocks(episode=episode)
    assert {clock.rule for clock in started} == {"permanent-exclusion", "governing-board-review"}
    assert Clock.objects.filter(episode=episode).count() == 4


@time_machine.travel(D(2026, 11, 4))
def test_recounting_moves_the_due_dates_from_the_corrected_start(episode):
    episode.start_date = D(2026, 11, 4)
    episode.save()
    recounted = services.recount_episode_clocks(episode=episode, on=D(2026, 11, 4))
    due = dict(Clock.objects.filter(episode=episode).values_list("rule", "due_on"))
    assert due == {"permanent-exclusion": D(2026, 11, 11), "governing-board-review": D(2026, 11, 25)}
    assert len(recounted.moved) == 2 and not recounted.withdrawn and not recounted.started
