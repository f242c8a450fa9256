"""A panel decision with several problems is told all of them on the first submission (GOV.UK error summary):
the form's own (no reasons) and the service's rules (an approval names tier, provision and weeks) together."""

import datetime

import pytest
from django.urls import reverse

from aphub.core.errors import DomainError, DomainErrors
from aphub.placements.models import PanelDecision
from aphub.placements.referrals import services
from tests.error_summary import assert_all_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(officer):
    return services.create_panel_meeting(user=officer, date=datetime.date(2026, 11, 20), members="Ali Khan (chair)")


def test_an_approval_missing_everything_is_told_everything_at_once(client, officer, submitted, meeting):
    client.force_login(officer)
    prefix = f"referral-{submitted.pk}"
    response = client.post(
        reverse("placements:panel-decide", kwargs={"pk": meeting.pk}),
        {"referral": submitted.pk, f"{prefix}-outcome": "approve", f"{prefix}-tier": "", f"{prefix}-reasons": ""},
    )
    assert response.status_code == 200
    assert_all_at_once(
        response.content.decode(),
        [
            "Select the tier the panel approved",
            "Choose the provision the panel approved",
            "Enter how many weeks the panel approved",
            "Enter the reasons for the panel's decision",
        ],
    )
    assert not PanelDecision.objects.exists()


def test_the_service_reports_every_problem_of_a_decision_together(officer, submitted, meeting):
    with pytest.raises(DomainErrors) as refused:
        services.record_decision(
            user=officer, meeting=meeting, referral=submitted, outcome="approve", reasons="", tier="", weeks=None
        )
    assert [error.field for error in refused.value.errors] == ["reasons", "tier", "provision", "weeks"]
    assert isinstance(refused.value, DomainError)  # callers that catch one DomainError still catch it
    assert not PanelDecision.objects.exists()


def test_a_document_with_no_title_and_an_empty_file_is_told_both(school_staff, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError) as refused:
        services.upload_document(user=school_staff, referral=draft, title=" ", file=SimpleUploadedFile("a.pdf", b""))
    assert {each.field for each in refused.value.errors} == {"title", "file"}


def test_a_panel_meeting_with_no_date_and_no_members_is_told_both(officer):
    with pytest.raises(DomainErrors) as refused:
        services.create_panel_meeting(user=officer, date=None, members="  \n ")
    assert [each.message for each in refused.value.errors] == [
        "Enter the date of the panel meeting",
        "Enter who sits on the panel, one person per line",
    ]


def test_a_referral_with_a_closed_episode_and_an_unknown_tier_is_told_both(school_staff, pupil, episode):
    from aphub.placements.models import Episode

    Episode.objects.filter(pk=episode.pk).update(status=Episode.Status.CLOSED)
    episode.refresh_from_db()
    with pytest.raises(DomainErrors) as refused:
        services.create_referral(user=school_staff, pupil=pupil, episode=episode, requested_tier="tier-9")
    assert {each.field for each in refused.value.errors} == {"episode", "requested_tier"}
