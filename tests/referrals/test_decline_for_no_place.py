"""The panel says when it declines a referral because no suitable place is available: the LA's unmet need, which the
sufficiency dashboard counts."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from aphub.core.errors import DomainError
from aphub.placements.models import PanelDecision
from aphub.placements.referrals import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(officer):
    return services.create_panel_meeting(user=officer, date=datetime.date(2026, 11, 20), members="Ali Khan (chair)")


def test_the_agenda_offers_no_suitable_place_under_decline_and_records_it(client, officer, submitted, meeting):
    client.force_login(officer)
    agenda = client.get(reverse("placements:panel-meeting", kwargs={"pk": meeting.pk})).content.decode()
    prefix = f"referral-{submitted.pk}"
    assert "Why the panel declined" in agenda and "No suitable place available" in agenda
    assert f'name="{prefix}-decline_reason"' in agenda and 'value="no-place"' in agenda
    response = client.post(
        reverse("placements:panel-decide", kwargs={"pk": meeting.pk}),
        {
            "referral": submitted.pk,
            f"{prefix}-outcome": "decline",
            f"{prefix}-decline_reason": "no-place",
            f"{prefix}-reasons": "The Saturn Centre is full.",
        },
    )
    assert response.status_code == 302
    decision = PanelDecision.objects.get()
    assert (decision.outcome, decision.decline_reason) == ("decline", "no-place")


def test_a_reason_not_on_the_list_is_shown_as_an_error(client, officer, submitted, meeting):
    client.force_login(officer)
    prefix = f"referral-{submitted.pk}"
    response = client.post(
        reverse("placements:panel-decide", kwargs={"pk": meeting.pk}),
        {
            "referral": submitted.pk,
            f"{prefix}-outcome": "decline",
            f"{prefix}-decline_reason": "boredom",
            f"{prefix}-reasons": "Full.",
        },
    )
    assert response.status_code == 200
    assert "Select why the panel declined the referral" in response.content.decode()
    assert not PanelDecision.objects.exists()


def test_the_service_refuses_an_unknown_reason_and_keeps_a_reason_only_for_a_decline(officer, submitted, meeting):
    with pytest.raises(DomainError, match="Select why the panel declined the referral"):
        services.record_decision(
            user=officer, meeting=meeting, referral=submitted, outcome="decline", reasons="R", decline_reason="x"
        )
    decision = services.record_decision(
        user=officer, meeting=meeting, referral=submitted, outcome="defer", reasons="R", decline_reason="no-place"
    )
    assert decision.decline_reason == ""


def test_the_database_keeps_a_decline_reason_to_declines(officer, submitted, meeting):
    decision = services.record_decision(user=officer, meeting=meeting, referral=submitted, outcome="defer", reasons="R")
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelDecision.objects.filter(pk=decision.pk).update(decline_reason="no-place")
