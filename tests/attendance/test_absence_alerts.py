"""Absence alerts: N tells the commissioner and the home school the same day; a run of absences alerts once."""

import datetime

import pytest
import time_machine
from django.core import mail

from aphub.duties.models import LocalPolicy
from aphub.placements.attendance.services import record_register
from aphub.pupils.models import Enrolment

from .conftest import MONDAY, TODAY


def save(area, placement, code, *, date=TODAY, session="AM", note=""):
    return record_register(
        user=area.p1_staff, provision=area.horizons, date=date, session=session, marks={placement.pk: (code, note)}
    )


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_n_alerts_the_la_and_the_home_school_the_same_day(area):
    saved = save(area, area.robin, "N")
    assert saved.alerts == 2
    assert recipients() == sorted([area.officer.email, area.home_school_staff.email])
    message = mail.outbox[0]
    assert message.subject == "Absent, no reason yet: Robin H. at Horizons Centre"
    assert "Tuesday 10 November 2026, morning" in message.body
    assert f"/attendance/placements/{area.robin.pk}/" in message.body


def test_a_school_commissioned_placement_alerts_the_commissioning_school_not_the_la(area):
    Enrolment.objects.filter(pupil=area.sam.pupil).update(school=area.home_school)
    save(area, area.sam, "N")
    assert recipients() == sorted([area.commissioning_school_staff.email, area.home_school_staff.email])


def test_alerts_name_the_child_by_first_name_and_initial_only(area):
    save(area, area.robin, "N", note="Mum says he is at his dad's")
    for message in mail.outbox:
        text = message.subject + message.body
        assert "Hartley" not in text and area.robin.pupil.upn not in text
        assert "dad" not in text  # the note stays in AP Hub
        assert "2012" not in text  # no date of birth


def test_saving_the_same_register_again_does_not_alert_again(area):
    save(area, area.robin, "N")
    save(area, area.robin, "N")
    save(area, area.robin, "N", note="Still no word")
    assert len(mail.outbox) == 2


def test_present_or_an_explained_absence_sends_no_no_reason_alert(area):
    save(area, area.robin, "/")
    save(area, area.robin, "I", session="PM")
    assert mail.outbox == []


def test_three_absences_in_a_row_alert_once(area):
    save(area, area.robin, "/", date=MONDAY)
    save(area, area.robin, "I", date=MONDAY, session="PM")
    save(area, area.robin, "M", date=TODAY, session="AM")
    assert mail.outbox == []
    save(area, area.robin, "I", date=TODAY, session="PM")
    assert recipients() == sorted([area.officer.email, area.home_school_staff.email])
    assert mail.outbox[0].subject == "3 absences in a row: Robin H. at Horizons Centre"
    assert "most recently on Tuesday 10 November 2026, afternoon" in mail.outbox[0].body
    # Saving the same marks again, changing one absence for another or the run growing sends nothing more.
    save(area, area.robin, "I", date=TODAY, session="PM")
    save(area, area.robin, "C", date=TODAY, session="AM")
    with time_machine.travel(datetime.datetime(2026, 11, 11, 9, 30, tzinfo=datetime.UTC), tick=False):
        save(area, area.robin, "I", date=TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_the_run_counts_only_possible_sessions(area):
    """A code that is not a possible session (here Y1, no transport) neither breaks nor extends a run."""
    save(area, area.robin, "O", date=MONDAY)
    save(area, area.robin, "Y1", date=MONDAY, session="PM")
    save(area, area.robin, "O", date=TODAY)
    assert mail.outbox == []
    save(area, area.robin, "O", date=TODAY, session="PM")
    assert len(mail.outbox) == 2


def test_the_run_follows_the_las_policy(area):
    LocalPolicy.objects.update_or_create(local_authority=area.la, defaults={"consecutive_absence_alert": 2})
    save(area, area.robin, "I", date=MONDAY, session="PM")
    save(area, area.robin, "I", date=TODAY)
    assert [message.subject for message in mail.outbox] == ["2 absences in a row: Robin H. at Horizons Centre"] * 2


def test_a_register_caught_up_weeks_later_does_not_alert(area):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 30, tzinfo=datetime.UTC), tick=False):
        save(area, area.robin, "N", date=MONDAY)
        save(area, area.robin, "N", date=MONDAY, session="PM")
        save(area, area.robin, "N", date=TODAY)
    assert mail.outbox == []


@pytest.mark.parametrize("inactive", ["officer", "home_school_staff"])
def test_inactive_people_are_not_sent_alerts(area, inactive):
    person = getattr(area, inactive)
    person.is_active = False
    person.save()
    save(area, area.robin, "N")
    assert person.email not in recipients() and len(mail.outbox) == 1


def test_an_absence_corrected_and_put_back_alerts_once(area):
    save(area, area.robin, "N")
    assert len(mail.outbox) == 2
    save(area, area.robin, "O", note="Mum rang: no good reason")
    save(area, area.robin, "N")
    assert len(mail.outbox) == 2
    assert area.robin.absence_alerts.count() == 1


def test_a_run_broken_by_a_correction_and_restored_alerts_once(area):
    save(area, area.robin, "I", date=MONDAY)
    save(area, area.robin, "I", date=MONDAY, session="PM")
    save(area, area.robin, "I", date=TODAY)
    assert len(mail.outbox) == 2
    save(area, area.robin, "/", date=MONDAY, session="PM")  # entered in error, then put back
    save(area, area.robin, "I", date=MONDAY, session="PM")
    assert len(mail.outbox) == 2
    assert [(alert.kind, alert.date, alert.session) for alert in area.robin.absence_alerts.all()] == [
        ("run", MONDAY, "AM")
    ]


def test_the_csv_return_does_not_repeat_an_alert_the_register_page_sent(area):
    from aphub.placements.attendance.imports import import_attendance

    save(area, area.robin, "N")
    save(area, area.robin, "O")
    import_attendance(
        user=area.p1_staff,
        provider=area.horizons.provider,
        source=f"upn,date,session,code\n{area.robin.pupil.upn},{TODAY.isoformat()},AM,N\n",
    )
    assert len(mail.outbox) == 2
