"""Schools read a QA summary of the providers in their LA (latest visit rating and date, admission, evidence in
date) so they need not repeat the checks; never complaints or scores in detail."""

import datetime
from decimal import Decimal

from django.urls import reverse

from aphub.commissioning.models import Complaint, MonitoringVisit, VisitRating

from .conftest import TODAY, add_evidence


def test_a_school_sees_the_qa_summary_but_not_complaints(client, qa):
    visit = MonitoringVisit.objects.create(
        provider=qa.provider,
        local_authority=qa.la,
        scheduled_for=datetime.date(2026, 10, 5),
        held_on=datetime.date(2026, 10, 5),
        overall="amber",
        summary="Confidential visit summary",
    )
    VisitRating.objects.create(visit=visit, area="safeguarding", rating="amber", note="Secret note on safeguarding")
    complaint = Complaint.objects.create(
        provider=qa.provider, local_authority=qa.la, received_on=TODAY, summary="Bullying complaint text", upheld=True
    )
    for code in ("registration", "safeguarding-lead", "insurance-public-liability"):
        evidence = add_evidence(qa.provider, code, TODAY + datetime.timedelta(days=200))
    evidence.cover_amount = Decimal("5000000.00")  # the lot's minimum cover, as the provider's checklist asks
    evidence.save()
    client.force_login(qa.school_staff)
    body = client.get(reverse("commissioning:quality-checks")).content.decode()
    assert "Greenway Learning CIC" in body
    assert "Amber" in body and "5 October 2026" in body
    assert "Admitted to 1 lot" in body
    assert 'govuk-tag--green">Yes' in body  # evidence in date
    assert "Bullying complaint text" not in body and "Confidential visit summary" not in body
    assert "Secret note on safeguarding" not in body
    assert client.get(reverse("commissioning:quality-complaint", kwargs={"pk": complaint.pk})).status_code == 403
    assert client.get(reverse("commissioning:quality-provider", kwargs={"pk": qa.provider.pk})).status_code == 403


def test_missing_or_expired_evidence_shows_no(client, qa):
    add_evidence(qa.provider, "registration")
    add_evidence(qa.provider, "safeguarding-lead", TODAY - datetime.timedelta(days=1))
    add_evidence(qa.provider, "insurance-public-liability", TODAY + datetime.timedelta(days=100))
    client.force_login(qa.school_staff)
    body = client.get(reverse("commissioning:quality-checks")).content.decode()
    assert 'govuk-tag--red">No' in body


def test_a_school_sees_only_its_own_las_visits_and_providers(client, qa):
    from tests.factories import ProviderFactory

    ProviderFactory(legal_name="Yarrow Tutors", local_authority=qa.other_la)
    MonitoringVisit.objects.create(
        provider=qa.provider, local_authority=qa.other_la, scheduled_for=TODAY, held_on=TODAY, overall="red"
    )
    client.force_login(qa.school_staff)
    body = client.get(reverse("commissioning:quality-checks")).content.decode()
    assert "Yarrow Tutors" not in body
    assert "Not visited yet" in body  # Yarrowdale's red visit is not Elmford's check
