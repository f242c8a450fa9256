"""record_register: provider staff mark their active placements at a provision, on school days inside the placement."""

import datetime

import pytest

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError, NotPermitted
from aphub.placements.attendance.services import RegisterRejected, record_register
from aphub.placements.models import AttendanceMark

from .conftest import MONDAY, SATURDAY, START, TODAY


def save(area, marks, *, user=None, provision=None, date=TODAY, session="AM"):
    return record_register(
        user=user or area.p1_staff,
        provision=provision or area.horizons,
        date=date,
        session=session,
        marks=marks,
    )


def mark_log(verb):
    return AccessLogEntry.objects.filter(object_type="placements.AttendanceMark", verb=verb)


def test_a_register_saves_one_mark_per_pupil_and_logs_each_as_created(area):
    saved = save(area, {area.robin.pk: ("/", ""), area.sam.pk: ("I", "Flu, mum phoned")})
    assert (saved.created, saved.changed, saved.unchanged) == (2, 0, 0)
    marks = {mark.placement_id: mark for mark in AttendanceMark.objects.all()}
    assert marks[area.robin.pk].code == "/" and marks[area.robin.pk].recorded_by == area.p1_staff
    assert marks[area.sam.pk].note == "Flu, mum phoned"
    assert mark_log("create").count() == 2


def test_replacing_a_mark_is_a_logged_change_and_the_same_mark_again_changes_nothing(area):
    save(area, {area.robin.pk: ("N", "")})
    changed = save(area, {area.robin.pk: ("I", "Ill")})
    assert (changed.created, changed.changed) == (0, 1)
    assert AttendanceMark.objects.get().code == "I"
    assert mark_log("change").count() == 1
    again = save(area, {area.robin.pk: ("I", "Ill")})
    assert again.unchanged == 1 and mark_log("change").count() == 1


def test_the_present_sign_is_stored_for_its_session(area):
    save(area, {area.robin.pk: ("/", "")}, session="PM")
    assert AttendanceMark.objects.get().code == "\\"


def test_a_weekend_is_refused(area):
    with pytest.raises(DomainError, match="weekend") as refused:
        save(area, {area.robin.pk: ("/", "")}, date=SATURDAY)
    assert refused.value.field == "date"
    assert not AttendanceMark.objects.exists()


def test_a_future_date_is_refused(area):
    with pytest.raises(DomainError, match="future"):
        save(area, {area.robin.pk: ("/", "")}, date=TODAY + datetime.timedelta(days=1))


def test_a_date_before_the_placement_starts_or_after_it_ends_is_refused(area):
    with pytest.raises(RegisterRejected, match="starts on Monday 2 November 2026"):
        save(area, {area.robin.pk: ("/", "")}, date=START - datetime.timedelta(days=3))
    area.robin.end_date = MONDAY
    area.robin.save()
    with pytest.raises(RegisterRejected, match="ended on Monday 9 November 2026"):
        save(area, {area.robin.pk: ("/", "")})
    assert not AttendanceMark.objects.exists()


def test_one_bad_mark_saves_none_and_each_problem_is_named(area):
    with pytest.raises(RegisterRejected) as rejected:
        save(area, {area.robin.pk: ("/", ""), area.sam.pk: ("Q9", ""), area.yusuf.pk: ("/", "")})
    assert rejected.value.problems == {
        area.sam.pk: "'Q9' is not a DfE attendance code",
        area.yusuf.pk: "This pupil has no active placement at this provision",
    }
    assert not AttendanceMark.objects.exists()


def test_provider_p1_cannot_mark_provider_p2s_pupils(area):
    with pytest.raises(NotPermitted):
        save(area, {area.yusuf.pk: ("/", "")}, provision=area.yarrow)
    with pytest.raises(RegisterRejected):
        save(area, {area.yusuf.pk: ("/", "")})
    assert not AttendanceMark.objects.exists()


def test_only_active_placements_are_on_the_register(area):
    area.robin.status = "accepted"
    area.robin.save()
    with pytest.raises(RegisterRejected, match="no active placement"):
        save(area, {area.robin.pk: ("/", "")})


def test_staff_of_schools_and_the_la_cannot_take_a_register(area):
    for user in (area.officer, area.home_school_staff):
        with pytest.raises(NotPermitted):
            save(area, {area.robin.pk: ("/", "")}, user=user)


def test_a_note_longer_than_200_characters_is_refused(area):
    with pytest.raises(RegisterRejected, match="200 characters"):
        save(area, {area.robin.pk: ("I", "x" * 201)})


def test_a_session_other_than_am_or_pm_is_refused(area):
    with pytest.raises(DomainError, match="morning") as refused:
        save(area, {area.robin.pk: ("/", "")}, session="EVE")
    assert refused.value.field == "session"


def test_a_holiday_in_the_las_term_dates_is_refused(area):
    from aphub.duties.services import default_term_dates, load_term_dates
    from aphub.placements.models import Placement

    half_term = datetime.date(2026, 10, 26)  # a Monday between Autumn 1 and Autumn 2
    Placement.objects.filter(pk=area.robin.pk).update(start_date=datetime.date(2026, 10, 19))
    save(area, {area.robin.pk: ("/", "")}, date=half_term)  # no term dates yet: only weekends are known
    AttendanceMark.objects.all().delete()
    load_term_dates(local_authority=area.la, **default_term_dates())
    with pytest.raises(DomainError, match="Monday 26 October 2026 is not a school day in the term dates") as refused:
        save(area, {area.robin.pk: ("/", "")}, date=half_term)
    assert refused.value.field == "date"
    assert not AttendanceMark.objects.exists()
    assert save(area, {area.robin.pk: ("/", "")}, date=MONDAY).created == 1


def test_a_register_with_a_bad_session_a_weekend_day_and_no_marks_is_told_all_three(area):
    from aphub.core.errors import DomainErrors

    with pytest.raises(DomainErrors) as refused:
        save(area, {}, date=SATURDAY, session="EVENING")
    assert [each.field for each in refused.value.errors] == ["session", "date", "marks"]
    assert not AttendanceMark.objects.exists()
