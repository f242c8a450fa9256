"""The school's provider checks judge evidence by the same rule as the provider's own readiness checklist: "Yes"
only when every document the provider's lots ask for is ready, never while its checklist shows a gap."""

import datetime
from decimal import Decimal

from django.urls import reverse

from aphub.commissioning.applications.queries import Readiness, readiness
from aphub.commissioning.models import Application
from tests.factories import ProviderFactory

from .conftest import TODAY, add_evidence


def _checks_row(client, qa, provider_name: str) -> str:
    client.force_login(qa.school_staff)
    body = client.get(reverse("commissioning:quality-checks")).content.decode()
    return body.split(provider_name, 1)[1].split("</tr>", 1)[0]


def test_evidence_expiring_or_below_the_minimum_is_not_in_date_yes(client, qa):
    add_evidence(qa.provider, "registration", TODAY + datetime.timedelta(days=200))
    add_evidence(qa.provider, "safeguarding-lead", TODAY + datetime.timedelta(days=10))
    insurance = add_evidence(qa.provider, "insurance-public-liability", TODAY + datetime.timedelta(days=200))
    insurance.cover_amount = Decimal("1000000.00")
    insurance.save()
    states = {item.criterion.code: item.state for item in readiness(qa.provider, qa.arrangement, [qa.lot])}
    assert states["insurance-public-liability"] == Readiness.BELOW_MINIMUM
    assert states["safeguarding-lead"] == Readiness.EXPIRING_SOON

    row = _checks_row(client, qa, "Greenway Learning CIC")
    assert ">Yes<" not in row
    assert 'govuk-tag--red">No' in row
    assert "below the minimum" in row
    assert "expires on 3 December 2026" in row


def test_a_provider_applying_but_not_admitted_is_judged_on_the_lots_it_applies_for(client, qa):
    applicant = ProviderFactory(legal_name="Hillside Tutors Ltd", local_authority=qa.la)
    application = Application.objects.create(provider=applicant, arrangement=qa.arrangement, status="draft")
    application.lots.add(qa.lot)
    add_evidence(applicant, "registration", TODAY + datetime.timedelta(days=200))
    states = {item.criterion.code: item.state for item in readiness(applicant, qa.arrangement, [qa.lot])}
    assert states["safeguarding-lead"] == Readiness.MISSING

    row = _checks_row(client, qa, "Hillside Tutors Ltd")
    assert ">Yes<" not in row
    assert 'govuk-tag--red">No' in row
    assert "missing" in row


def test_a_provider_no_arrangement_asks_anything_of_is_not_checked_rather_than_yes(client, qa):
    ProviderFactory(legal_name="Quiet Lane Learning", local_authority=qa.la)
    row = _checks_row(client, qa, "Quiet Lane Learning")
    assert ">Yes<" not in row
    assert "Not checked" in row


def test_every_document_ready_on_the_checklist_is_yes(client, qa):
    for code in ("registration", "safeguarding-lead"):
        add_evidence(qa.provider, code, TODAY + datetime.timedelta(days=200))
    insurance = add_evidence(qa.provider, "insurance-public-liability", TODAY + datetime.timedelta(days=200))
    insurance.cover_amount = Decimal("5000000.00")
    insurance.save()
    assert {item.state for item in readiness(qa.provider, qa.arrangement, [qa.lot])} == {Readiness.READY}
    assert 'govuk-tag--green">Yes' in _checks_row(client, qa, "Greenway Learning CIC")
