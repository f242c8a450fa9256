"""aphub sweep-duties: states move, each reminder goes once to the right people, and never with sensitive details."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from aphub.duties import services
from aphub.duties.models import Clock, Reminder
from aphub.organisations.models import Role
from tests.factories import EpisodeFactory, PlacementFactory, PupilFactory, SchoolFactory, member, route_for

D = dt.date
pytestmark = pytest.mark.django_db


def sweep_on(day) -> str:
    out = StringIO()
    with time_machine.travel(day):
        call_command("sweep-duties", stdout=out)
    return out.getvalue()


@pytest.fixture
def people(la, school):
    return {
        "officer": member(Role.LA_OFFICER, la),
        "second_officer": member(Role.LA_OFFICER, la),
        "admin": member(Role.LA_ADMIN, la),
        "school_staff": member(Role.SCHOOL_STAFF, school),
        "other_school_staff": member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la)),
    }


@pytest.fixture
def excluded(la, school):
    """Robin Hartley, permanently excluded from Kingsmead on Tue 3 Nov 2026: sixth day Tue 10 Nov, board by 24 Nov."""
    pupil = PupilFactory(
        local_authority=la,
        first_name="Robin",
        last_name="Hartley",
        medical_needs="Asthma",
        looked_after=True,
        sen_status="E",
    )
    episode = EpisodeFactory(
        pupil=pupil, route=route_for(la, "permanent-exclusion"), school=school, start_date=D(2026, 11, 3)
    )
    with time_machine.travel(D(2026, 11, 3)):
        services.start_episode_clocks(episode=episode)
    return pupil


def test_sweeping_twice_sends_each_reminder_once(people, excluded):
    first = sweep_on(D(2026, 11, 5))
    assert first.strip() == "Checked 2 running clocks: 1 changed state, 1 reminders sent."
    assert len(mail.outbox) == 2  # the two officers
    second = sweep_on(D(2026, 11, 5))
    assert second.strip() == "Checked 2 running clocks: 0 changed state, 0 reminders sent."
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 1


def test_an_las_clock_reminds_its_officers_only(people, excluded):
    sweep_on(D(2026, 11, 5))
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [people["officer"].email, people["second_officer"].email]
    )
    reminder = Reminder.objects.get()
    assert (reminder.clock.rule, reminder.kind) == ("permanent-exclusion", "due-soon")


def test_a_breach_is_a_second_reminder_of_another_kind(people, excluded):
    sweep_on(D(2026, 11, 5))
    sweep_on(D(2026, 11, 11))
    subjects = [message.subject for message in mail.outbox]
    assert (
        subjects.count("Due soon: Full-time education from the 6th school day of a permanent exclusion for Robin H.")
        == 2
    )
    assert (
        subjects.count("Overdue: Full-time education from the 6th school day of a permanent exclusion for Robin H.")
        == 2
    )
    sweep_on(D(2026, 11, 12))
    assert len(mail.outbox) == 4


def test_a_schools_clock_reminds_that_schools_staff(people, excluded):
    sweep_on(D(2026, 11, 19))  # the board's review, due 24 Nov, is now due soon; the sixth day is breached
    board = Reminder.objects.get(clock__rule="governing-board-review")
    assert board.recipients == people["school_staff"].email
    to_school = [m for m in mail.outbox if m.to == [people["school_staff"].email]]
    assert [m.subject for m in to_school] == [
        "Due soon: Governing board considers reinstatement within 15 school days for Robin H."
    ]
    everyone = {m.to[0] for m in mail.outbox}
    assert people["other_school_staff"].email not in everyone and people["admin"].email not in everyone


def test_a_commissioners_clock_reminds_the_commissioning_school(la, school, people):
    placement = PlacementFactory(
        pupil__local_authority=la, commissioner="school", commissioning_school=school, next_review_due=D(2026, 11, 12)
    )
    with time_machine.travel(D(2026, 11, 2)):
        services.start_placement_clocks(placement=placement)
    sweep_on(D(2026, 11, 10))
    assert [m.to for m in mail.outbox] == [[people["school_staff"].email]]


def test_an_la_commissioners_clock_reminds_the_officers(la, people):
    placement = PlacementFactory(pupil__local_authority=la, commissioner="la", next_review_due=D(2026, 11, 12))
    with time_machine.travel(D(2026, 11, 2)):
        services.start_placement_clocks(placement=placement)
    sweep_on(D(2026, 11, 10))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["officer"].email, people["second_officer"].email])


def test_messages_name_the_child_by_first_name_and_initial_and_nothing_sensitive(people, excluded):
    sweep_on(D(2026, 11, 11))
    message = mail.outbox[0]
    text = message.subject + message.body
    assert "Robin H." in text
    assert "Hartley" not in text
    assert excluded.upn not in text
    assert "Asthma" not in text and "looked after" not in text.lower() and "EHC" not in text
    assert "Tuesday 10 November 2026" in message.body
    assert "/duties/worklist/" in message.body or f"/{excluded.pk}/" in message.body


def test_met_clocks_send_nothing(people, excluded, la):
    Clock.objects.filter(pupil=excluded).update(state="met", met_on=D(2026, 11, 4))
    assert "0 reminders sent" in sweep_on(D(2026, 11, 20))
    assert mail.outbox == []


def test_the_govuk_notify_backend_is_chosen_by_settings(settings, people, excluded):
    settings.APHUB_NOTIFY_BACKEND = "govuk-notify"
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    with mock.patch("notifications_python_client.notifications.NotificationsAPIClient") as client_class:
        sweep_on(D(2026, 11, 5))
    client_class.assert_called_with("test-key")
    calls = client_class.return_value.send_email_notification.call_args_list
    assert sorted(call.kwargs["email_address"] for call in calls) == sorted(
        [people["officer"].email, people["second_officer"].email]
    )
    assert calls[0].kwargs["template_id"] == "f33517ff-2a88-4f6e-b855-c550268ce08a"
    assert "Robin H." in calls[0].kwargs["personalisation"]["subject"]
    assert mail.outbox == []
