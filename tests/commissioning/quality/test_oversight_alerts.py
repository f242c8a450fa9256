"""The sweep tells the LA and the provider once when an unregistered provider newly reaches the warning level."""

import datetime

import time_machine
from django.core import mail

from aphub.commissioning.models import OversightAlert
from aphub.placements.models import Placement
from aphub.placements.oversight import raise_alerts

from .conftest import TODAY


def recipients():
    return sorted({address for message in mail.outbox for address in message.to})


def test_reaching_four_full_time_pupils_alerts_the_las_and_the_provider_once(qa):
    for _ in range(3):
        qa.place()
    assert raise_alerts(today=TODAY).raised == 0
    qa.place(la=qa.other_la, school=qa.other_school)
    assert raise_alerts(today=TODAY).raised == 1
    # The provider, its LA's officers, and the officers of the other LA whose child it educates full time.
    assert recipients() == sorted(
        [qa.provider_staff.email, qa.officer.email, qa.second_officer.email, qa.other_officer.email]
    )
    message = mail.outbox[0]
    assert message.subject == "Greenway Learning CIC is nearing the registration threshold for unregistered AP"
    assert "4 pupils of compulsory school age full time" in message.body
    mail.outbox.clear()
    assert raise_alerts(today=TODAY).raised == 0
    assert mail.outbox == []


def test_going_on_to_the_threshold_alerts_again(qa):
    for _ in range(4):
        qa.place()
    raise_alerts(today=TODAY)
    mail.outbox.clear()
    qa.place()
    assert raise_alerts(today=TODAY).raised == 1
    assert "has reached the registration threshold" in mail.outbox[0].subject
    assert set(OversightAlert.objects.filter(cleared_at__isnull=True).values_list("level", flat=True)) == {
        "warning",
        "threshold",
    }


def test_falling_below_clears_the_alert_so_a_later_rise_is_told(qa):
    placements = [qa.place() for _ in range(4)]
    raise_alerts(today=TODAY)
    Placement.objects.filter(pk=placements[0].pk).update(status="ended", end_date=TODAY)
    assert raise_alerts(today=TODAY).cleared == 1
    mail.outbox.clear()
    qa.place()
    assert raise_alerts(today=TODAY).raised == 1
    assert recipients() == sorted([qa.provider_staff.email, qa.officer.email, qa.second_officer.email])


def test_the_sweep_message_names_no_child(qa):
    placed = qa.place(looked_after=True, first_name="Zara", last_name="Quinlan")
    with time_machine.travel(datetime.datetime(2026, 11, 24, 6, tzinfo=datetime.UTC)):
        raise_alerts(today=datetime.date(2026, 11, 24))
    body = mail.outbox[0].body
    assert "Zara" not in body and "Quinlan" not in body and placed.pupil.upn not in body
    assert "1 pupil full time who is looked after or has an EHC plan" in body
