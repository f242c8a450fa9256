"""A child's wait on a waiting list ends when they are removed from it or offered a place there: the day is kept, so
the sufficiency dashboard can count the days they waited."""

import datetime

import pytest

from aphub.placements import services

pytestmark = pytest.mark.django_db


def test_removing_a_child_from_a_waiting_list_records_when_their_wait_ended(town):
    entry = services.add_to_waiting_list(user=town.officer, pupil=town.pupil(), provision=town.provision())
    assert entry.ended_at is None
    services.remove_from_waiting_list(user=town.officer, entry=entry)
    entry.refresh_from_db()
    assert (entry.status, entry.ended_at) == ("removed", datetime.datetime(2026, 11, 10, 10, tzinfo=datetime.UTC))
