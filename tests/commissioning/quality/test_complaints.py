"""Complaints: recorded by LA officers, decided once; an upheld one plans a concern visit."""

import datetime

import pytest
from django.urls import reverse

from aphub.commissioning.models import Complaint, MonitoringVisit
from aphub.commissioning.quality.services import decide_complaint, record_complaint
from aphub.core.errors import DomainError

from .conftest import TODAY


def test_an_upheld_complaint_plans_a_concern_visit_within_20_working_days(client, qa):
    client.force_login(qa.officer)
    response = client.post(
        reverse("commissioning:quality-provider-complaint-new", kwargs={"pk": qa.provider.pk}),
        {"received_on_0": "16", "received_on_1": "11", "received_on_2": "2026", "summary": "Pupils left unsupervised"},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.local_authority, complaint.received_on) == (qa.la, datetime.date(2026, 11, 16))
    response = client.post(reverse("commissioning:quality-complaint", kwargs={"pk": complaint.pk}), {"upheld": "yes"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.upheld, complaint.closed_on) == (True, TODAY)
    concern = MonitoringVisit.objects.get()
    assert (concern.reason, concern.scheduled_for) == ("concern", datetime.date(2026, 12, 21))
    assert concern.scheduled_because == "Complaint received on 16 November 2026 upheld"


def test_a_complaint_not_upheld_plans_nothing_and_cannot_be_decided_twice(qa):
    complaint = record_complaint(user=qa.officer, provider=qa.provider, received_on=TODAY, summary="Late pick-up")
    decide_complaint(user=qa.officer, complaint=complaint, upheld=False)
    assert not MonitoringVisit.objects.exists()
    with pytest.raises(DomainError, match="already been decided"):
        decide_complaint(user=qa.officer, complaint=complaint, upheld=True)


def test_a_complaint_needs_a_summary_and_a_date_not_in_the_future(qa):
    with pytest.raises(DomainError, match="Say what the complaint is about"):
        record_complaint(user=qa.officer, provider=qa.provider, received_on=TODAY, summary="  ")
    with pytest.raises(DomainError, match="today or in the past"):
        record_complaint(
            user=qa.officer, provider=qa.provider, received_on=TODAY + datetime.timedelta(days=1), summary="X"
        )
    assert not Complaint.objects.exists()


def test_an_auditor_reads_a_complaint_but_cannot_decide_it(client, qa):
    complaint = record_complaint(user=qa.officer, provider=qa.provider, received_on=TODAY, summary="Late pick-up")
    client.force_login(qa.auditor)
    url = reverse("commissioning:quality-complaint", kwargs={"pk": complaint.pk})
    page = client.get(url)
    assert page.status_code == 200 and "Late pick-up" in page.content.decode()
    assert client.post(url, {"upheld": "yes"}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.closed_on is None
