"""A submitted referral tells the LA's officers; the panel's decision tells the referring school: by e-mail once the
change commits, and on their home page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from aphub.duties.models import Notification
from aphub.placements.referrals import services

pytestmark = pytest.mark.django_db

HOME = reverse("organisations:home")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.APHUB_BASE_URL = "https://aphub.example.gov.uk"


def test_a_submitted_referral_e_mails_the_la_officers(
    client, officer, la_admin, school_staff, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_referral(user=school_staff, referral=draft)
    [message] = mail.outbox
    assert message.to == [officer.email]
    initial = draft.pupil.last_name[0]
    assert message.subject == f"Referral waiting for panel: {draft.pupil.first_name} {initial}., from Ashgrove Academy"
    path = reverse("placements:referral", kwargs={"pk": draft.pk})
    assert f"https://aphub.example.gov.uk{path}" in message.body
    for user in (officer, la_admin):
        client.force_login(user)
        assert message.subject in client.get(HOME).content.decode()
    assert Notification.objects.get().pupil == draft.pupil  # so a list of notifications is logged as naming them


def test_saving_a_draft_tells_nobody(school_staff, pupil, episode, django_capture_on_commit_callbacks):
    from .conftest import COMPLETE

    with django_capture_on_commit_callbacks(execute=True):
        services.create_referral(user=school_staff, pupil=pupil, episode=episode, requested_tier="2", **COMPLETE)
    assert mail.outbox == [] and not Notification.objects.exists()


@pytest.mark.parametrize(("outcome", "word"), [("decline", "declined"), ("defer", "deferred")])
def test_the_panels_decision_e_mails_the_referring_school(
    client, officer, school_staff, other_school_staff, submitted, outcome, word, django_capture_on_commit_callbacks
):
    meeting = services.create_panel_meeting(user=officer, date=datetime.date(2026, 11, 20), members="Ali Khan")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(
            user=officer, meeting=meeting, referral=submitted, outcome=outcome, reasons="Not enough evidence yet."
        )
    [message] = mail.outbox
    assert message.to == [school_staff.email]
    assert message.subject == f"Panel decision for {submitted.pupil.first_name} {submitted.pupil.last_name[0]}.: {word}"
    client.force_login(school_staff)
    assert message.subject in client.get(HOME).content.decode()
    assert Notification.objects.get(kind=Notification.Kind.PANEL_DECISION).pupil == submitted.pupil
    client.force_login(other_school_staff)
    assert "Panel decision" not in client.get(HOME).content.decode()
