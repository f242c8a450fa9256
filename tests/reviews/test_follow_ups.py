"""Follow-ups of a return to school: scheduled at the LA's weeks after exit, recorded from their due date."""

import datetime

import pytest
import time_machine

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError, NotPermitted
from aphub.duties.models import LocalPolicy
from aphub.organisations.models import Role
from aphub.placements.models import FollowUp
from aphub.placements.reviews.services import record_follow_up, schedule_follow_ups
from tests.factories import SchoolFactory, member

from .helpers import end

ENDED_ON = datetime.date(2027, 1, 8)


def test_follow_ups_are_created_once_at_6_and_12_weeks_for_a_return_to_school(placement, school):
    end(placement, on=ENDED_ON, destination="same-school", school=school)
    first = schedule_follow_ups(placement=placement)
    again = schedule_follow_ups(placement=placement)
    assert [(f.weeks_after_exit, f.due_date) for f in first] == [
        (6, datetime.date(2027, 2, 19)),
        (12, datetime.date(2027, 4, 2)),
    ]
    assert [f.pk for f in again] == [f.pk for f in first]
    assert FollowUp.objects.filter(placement=placement).count() == 2


@pytest.mark.parametrize("destination", ["neet", "post-16-education", "moved-away", "other-ap"])
def test_no_follow_ups_when_the_child_did_not_return_to_school(placement, destination):
    end(placement, on=ENDED_ON, destination=destination)
    assert schedule_follow_ups(placement=placement) == []
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("destination", ["same-school", "new-school", "special-school"])
def test_every_return_to_school_is_followed_up(placement, destination):
    end(placement, on=ENDED_ON, destination=destination)
    assert len(schedule_follow_ups(placement=placement)) == 2


def test_the_las_follow_up_weeks_are_used(placement):
    LocalPolicy.objects.create(local_authority=placement.pupil.local_authority, follow_up_weeks="4, 8,26")
    end(placement, on=ENDED_ON)
    assert [f.weeks_after_exit for f in schedule_follow_ups(placement=placement)] == [4, 8, 26]


def test_a_corrected_end_date_moves_unrecorded_follow_ups(placement):
    end(placement, on=ENDED_ON)
    schedule_follow_ups(placement=placement)
    end(placement, on=datetime.date(2027, 1, 15))
    schedule_follow_ups(placement=placement)
    assert list(FollowUp.objects.values_list("due_date", flat=True)) == [
        datetime.date(2027, 2, 26),
        datetime.date(2027, 4, 9),
    ]


def test_follow_ups_wait_for_the_placement_to_end(placement):
    with pytest.raises(DomainError):
        schedule_follow_ups(placement=placement)
    assert not FollowUp.objects.exists()


@pytest.fixture
def six_weeks(placement, school):
    end(placement, on=ENDED_ON, destination="same-school", school=school)
    return schedule_follow_ups(placement=placement)[0]


def test_a_follow_up_cannot_be_recorded_before_its_due_date(six_weeks, officer):
    with pytest.raises(DomainError) as refused:
        record_follow_up(user=officer, follow_up=six_weeks, lasted=True, notes="")
    assert "from 19 February 2027" in refused.value.message
    six_weeks.refresh_from_db()
    assert six_weeks.checked_on is None


def test_the_school_records_a_follow_up_from_its_due_date(six_weeks, school_staff):
    with time_machine.travel(datetime.date(2027, 2, 19), tick=False):
        recorded = record_follow_up(user=school_staff, follow_up=six_weeks, lasted=True, notes="Attending every day.")
    assert (recorded.lasted, recorded.checked_on, recorded.checked_by) == (
        True,
        datetime.date(2027, 2, 19),
        school_staff,
    )
    assert AccessLogEntry.objects.filter(object_type="placements.FollowUp", verb="create").count() == 1


def test_a_new_school_the_child_went_to_may_record_the_follow_up(placement, la):
    new_school = SchoolFactory(local_authority=la, name="Riverside School")
    end(placement, on=ENDED_ON, destination="new-school", school=new_school)
    follow_up = schedule_follow_ups(placement=placement)[0]
    with time_machine.travel(datetime.date(2027, 3, 1), tick=False):
        record_follow_up(user=member(Role.SCHOOL_STAFF, new_school), follow_up=follow_up, lasted=False, notes="")
    follow_up.refresh_from_db()
    assert follow_up.lasted is False


def test_a_correction_is_logged_as_a_change(six_weeks, officer):
    with time_machine.travel(datetime.date(2027, 2, 22), tick=False):
        record_follow_up(user=officer, follow_up=six_weeks, lasted=True)
        record_follow_up(user=officer, follow_up=six_weeks, lasted=False, notes="Moved to part-time timetable.")
    six_weeks.refresh_from_db()
    assert six_weeks.lasted is False
    assert list(
        AccessLogEntry.objects.filter(object_type="placements.FollowUp").order_by("id").values_list("verb", flat=True)
    ) == ["create", "change"]


def test_providers_and_other_schools_cannot_record_follow_ups(six_weeks, provider_staff, la):
    other_school = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la, name="Riverside School"))
    with time_machine.travel(datetime.date(2027, 2, 22), tick=False):
        for user in (provider_staff, other_school):
            with pytest.raises(NotPermitted):
                record_follow_up(user=user, follow_up=six_weeks, lasted=True)
