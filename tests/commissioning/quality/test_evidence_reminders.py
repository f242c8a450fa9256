"""Evidence expiry: the sweep reminds 30 and 7 days before, once per stage, and flags expired evidence of admitted
providers; a renewal uploaded in time silences the old document."""

import datetime

from django.core import mail

from aphub.commissioning.models import Evidence, EvidenceReminder
from aphub.commissioning.quality.services import send_evidence_reminders
from tests.factories import ProviderFactory, member

from .conftest import TODAY, add_evidence


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def sweep_on(day: datetime.date):
    return send_evidence_reminders(today=day).by_stage


def test_the_sweep_reminds_once_per_stage(qa):
    insurance = add_evidence(qa.provider, "insurance-public-liability", days(30), title="Zurich schedule 2026")
    assert sweep_on(TODAY)["30-days"] == 1
    assert sorted(mail.outbox[0].to + [m.to[0] for m in mail.outbox[1:]]) == sorted(
        [qa.provider_staff.email, qa.officer.email, qa.second_officer.email]
    )
    assert mail.outbox[0].subject == (
        f"Greenway Learning CIC: Public liability insurance expires on {days(30).day} {days(30):%B %Y}"
    )
    mail.outbox.clear()
    assert sweep_on(TODAY)["30-days"] == 0  # the same day again
    assert sweep_on(days(10))["30-days"] == 0  # still within 30 days: already told
    assert mail.outbox == []
    assert sweep_on(days(23))["7-days"] == 1  # 7 days before
    assert sweep_on(days(24))["7-days"] == 0
    assert sweep_on(days(31))["expired"] == 1  # the day after it expired: flagged for an admitted provider
    assert sweep_on(days(40)) == {"30-days": 0, "7-days": 0, "expired": 0}
    assert set(EvidenceReminder.objects.filter(evidence=insurance).values_list("stage", flat=True)) == {
        "30-days",
        "7-days",
        "expired",
    }
    assert Evidence.objects.get(pk=insurance.pk).expiry_reminded_at is not None


def test_a_late_first_sweep_sends_only_the_latest_stage(qa):
    add_evidence(qa.provider, "dbs-checks", days(5))
    assert sweep_on(TODAY) == {"30-days": 0, "7-days": 1, "expired": 0}
    assert sweep_on(TODAY) == {"30-days": 0, "7-days": 0, "expired": 0}  # the passed 30-day stage is not sent later


def test_a_renewal_uploaded_in_time_silences_the_old_document(qa):
    add_evidence(qa.provider, "insurance-public-liability", days(20))
    add_evidence(qa.provider, "insurance-public-liability", days(385))
    assert sweep_on(TODAY) == {"30-days": 0, "7-days": 0, "expired": 0}


def test_infected_uploads_and_documents_that_never_expire_raise_nothing(qa):
    add_evidence(qa.provider, "safeguarding-lead", days(3), scan="infected")
    add_evidence(qa.provider, "registration", None)
    assert sweep_on(TODAY) == {"30-days": 0, "7-days": 0, "expired": 0}


def test_expired_evidence_is_flagged_only_for_admitted_providers(qa):
    applicant = ProviderFactory(legal_name="Not Yet Admitted Ltd", local_authority=qa.la)
    staff = member("provider-staff", applicant)
    add_evidence(applicant, "insurance-public-liability", days(-2))
    add_evidence(qa.provider, "insurance-public-liability", days(-2))
    assert sweep_on(TODAY)["expired"] == 1
    assert staff.email not in {address for message in mail.outbox for address in message.to}


def test_a_suspended_providers_la_officers_still_hear(qa):
    qa.admission.status = "suspended"
    qa.admission.save()
    add_evidence(qa.provider, "dbs-checks", days(6))
    sweep_on(TODAY)
    assert qa.officer.email in {address for message in mail.outbox for address in message.to}


def test_a_removed_providers_la_officers_no_longer_hear(qa):
    qa.admission.status = "removed"
    qa.admission.save()
    add_evidence(qa.provider, "dbs-checks", days(6))
    sweep_on(TODAY)
    assert {address for message in mail.outbox for address in message.to} == {qa.provider_staff.email}


def test_partner_las_of_a_shared_arrangement_hear_too(qa):
    qa.arrangement.partners.add(qa.other_la)
    add_evidence(qa.provider, "dbs-checks", days(6))
    sweep_on(TODAY)
    assert qa.other_officer.email in {address for message in mail.outbox for address in message.to}
