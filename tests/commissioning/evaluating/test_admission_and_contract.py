"""Admission makes an Admission per lot applied for and the provider's contract under the arrangement."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from aphub.commissioning.arrangements.eligibility import eligible_lots
from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.models import Admission, Application, Contract
from aphub.core.errors import DomainError, NotPermitted
from tests.factories import ProvisionFactory

from . import builders
from .conftest import admit

pytestmark = pytest.mark.django_db

DECISION_DAY = datetime.datetime(2026, 5, 12, 11, 0, tzinfo=datetime.UTC)


def test_admitting_creates_an_admission_per_lot_and_one_contract(client, provider, dps, officer, second_officer):
    one, two = dps.lots.order_by("number")
    application = builders.application(provider, dps, lots=[one, two])
    with time_machine.travel(DECISION_DAY, tick=False):
        admit(application, officer, second_officer)

    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.signed_off_by == second_officer
    contract = Contract.objects.get(provider=provider, arrangement=dps)
    assert contract.reference == f"{dps.reference}-{provider.pk}"
    assert contract.starts_on == datetime.date(2026, 5, 12)
    assert contract.ends_on == dps.ends_on
    assert contract.signed_on is None
    admissions = Admission.objects.filter(provider=provider).order_by("lot__number")
    assert [(a.lot, a.status, a.contract, a.application, a.admitted_on) for a in admissions] == [
        (lot, Admission.Status.ADMITTED, contract, application, datetime.date(2026, 5, 12)) for lot in (one, two)
    ]
    assert list(eligible_lots(ProvisionFactory(provider=provider))) == [one, two]


def test_a_later_application_to_another_lot_keeps_the_one_contract(provider, dps, officer, second_officer):
    one, two = dps.lots.order_by("number")
    with time_machine.travel(DECISION_DAY, tick=False):
        admit(builders.application(provider, dps, lots=[one]), officer, second_officer)
    later = builders.application(provider, dps, lots=[two])
    admit(later, officer, second_officer)

    contract = Contract.objects.get(provider=provider, arrangement=dps)
    assert contract.starts_on == datetime.date(2026, 5, 12)
    assert set(contract.admissions.values_list("lot__number", flat=True)) == {1, 2}


def test_a_suspended_provider_is_not_admitted_again_by_a_new_application(provider, dps, officer, second_officer):
    one = dps.lots.get(number=1)
    admit(builders.application(provider, dps, lots=[one]), officer, second_officer)
    Admission.objects.filter(provider=provider, lot=one).update(status=Admission.Status.SUSPENDED)
    again = builders.application(provider, dps, lots=[one])
    with pytest.raises(DomainError, match="is suspended on"):
        admit(again, officer, second_officer)


def test_a_removed_provider_is_admitted_again_after_a_new_application_and_two_sign_offs(
    provider, dps, officer, second_officer
):
    one = dps.lots.get(number=1)
    admit(builders.application(provider, dps, lots=[one]), officer, second_officer)
    Admission.objects.filter(provider=provider, lot=one).update(status=Admission.Status.REMOVED)
    again = builders.application(provider, dps, lots=[one])
    admit(again, officer, second_officer)

    admission = Admission.objects.get(provider=provider, lot=one)
    assert (admission.status, admission.application, admission.status_changed_by) == (
        Admission.Status.ADMITTED,
        again,
        second_officer,
    )


def test_the_contract_reference_fits_even_under_a_long_arrangement_reference(provider, la, officer, second_officer):
    long = builders.arrangement(la, lots=1)
    long.reference = "x" * 60
    long.save()
    admit(builders.application(provider, long), officer, second_officer)
    reference = Contract.objects.get(provider=provider).reference
    assert len(reference) <= 60 and reference.endswith(f"-{provider.pk}")


def test_an_officer_records_the_signed_date_on_the_contracts_page(client, provider, dps, officer, second_officer):
    with time_machine.travel(DECISION_DAY, tick=False):
        admit(builders.application(provider, dps), officer, second_officer)
    contract = Contract.objects.get(provider=provider)
    client.force_login(officer)

    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        listing = client.get(reverse("commissioning:contracts")).content.decode()
        assert contract.reference in listing and "Not signed yet" in listing
        url = reverse("commissioning:contract-signed", kwargs={"pk": contract.pk})
        future = client.post(url, {"signed_on_0": "1", "signed_on_1": "6", "signed_on_2": "2026"})
        assert future.status_code == 400
        assert "cannot be in the future" in future.content.decode()
        client.post(url, {"signed_on_0": "19", "signed_on_1": "5", "signed_on_2": "2026"})

    contract.refresh_from_db()
    assert contract.signed_on == datetime.date(2026, 5, 19)


def test_the_signed_date_is_recorded_by_officers_only(client, la, provider, dps, officer, second_officer):
    from aphub.organisations.models import Role
    from tests.factories import member

    admit(builders.application(provider, dps), officer, second_officer)
    contract = Contract.objects.get(provider=provider)
    client.force_login(member(Role.AUDITOR, la))
    assert client.get(reverse("commissioning:contracts")).status_code == 200
    assert client.get(reverse("commissioning:contract-signed", kwargs={"pk": contract.pk})).status_code == 403
    with pytest.raises(NotPermitted):
        evaluation.record_contract_signed(
            user=member(Role.AUDITOR, la), contract=contract, signed_on=datetime.date(2026, 1, 1)
        )
