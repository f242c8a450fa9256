"""The readiness checklist: for each criterion a provider would be asked, in plain English, whether its evidence
library is ready, missing, expiring soon or below the minimum, with the criterion's guidance; before applying."""

import datetime

import pytest
from django.urls import reverse

from aphub.commissioning.applications.queries import Readiness, readiness
from aphub.commissioning.models import Evidence

from .conftest import NEXT_YEAR
from .makers import make_evidence

pytestmark = pytest.mark.django_db


def states(provider, arrangement, lots=None) -> dict[str, Readiness]:
    return {item.criterion.code: item.state for item in readiness(provider, arrangement, lots)}


def test_an_empty_library_is_missing_everything_every_lot_asks(provider, arrangement):
    found = readiness(provider, arrangement, None)
    assert [item.criterion.code for item in found] == [
        "registration",
        "safeguarding-lead",
        "safeguarding-policy",
        "insurance-public-liability",
        "national-standards-unregistered-ap",
    ]
    assert {item.state for item in found} == {Readiness.MISSING}
    registration = found[0]
    assert registration.sentence == (
        "Not in your evidence yet. You need: Certificate of incorporation, charity registration or school "
        "registration letter."
    )


def test_lots_narrow_the_checklist(provider, arrangement):
    lot_1 = arrangement.lots.get(number=1)
    assert list(states(provider, arrangement, [lot_1])) == [
        "registration",
        "safeguarding-lead",
        "insurance-public-liability",
    ]


def test_each_state_from_the_library(provider, arrangement):
    make_evidence(provider, "registration", title="Certificate of incorporation")
    make_evidence(provider, "safeguarding-lead", title="DSL certificate", expires_on=datetime.date(2026, 12, 1))
    make_evidence(provider, "safeguarding-policy", title="Policy 2025", expires_on=datetime.date(2026, 10, 31))
    make_evidence(
        provider,
        "insurance-public-liability",
        title="Public liability schedule",
        cover_amount="1000000.00",
        expires_on=NEXT_YEAR,
    )
    found = {item.criterion.code: item for item in readiness(provider, arrangement)}
    assert found["registration"].state == Readiness.READY
    assert found["registration"].sentence == "Certificate of incorporation."
    assert found["safeguarding-lead"].state == Readiness.EXPIRING_SOON
    assert found["safeguarding-lead"].sentence == (
        "DSL certificate expires on 1 December 2026, in 15 days. Renew it soon."
    )
    assert found["safeguarding-policy"].state == Readiness.MISSING
    assert found["safeguarding-policy"].sentence == "Policy 2025 expired on 31 October 2026. Upload a current one."
    assert found["insurance-public-liability"].state == Readiness.BELOW_MINIMUM
    assert found["insurance-public-liability"].sentence == (
        "Public liability schedule gives cover of £1,000,000.00, below the minimum of £5,000,000.00."
    )
    assert found["national-standards-unregistered-ap"].state == Readiness.MISSING


def test_the_newest_document_counts_when_there_are_several(provider, arrangement):
    make_evidence(provider, "safeguarding-lead", title="Old", expires_on=datetime.date(2026, 11, 20))
    make_evidence(provider, "safeguarding-lead", title="Renewed", expires_on=datetime.date(2028, 11, 20))
    found = {item.criterion.code: item for item in readiness(provider, arrangement)}
    assert found["safeguarding-lead"].state == Readiness.READY
    assert found["safeguarding-lead"].sentence == "Renewed, in date until 20 November 2028."


def test_enough_cover_in_one_of_two_schedules_is_ready(provider, arrangement):
    make_evidence(provider, "insurance-public-liability", cover_amount="1000000", expires_on=NEXT_YEAR)
    make_evidence(provider, "insurance-public-liability", cover_amount="5000000", expires_on=NEXT_YEAR)
    assert states(provider, arrangement)["insurance-public-liability"] == Readiness.READY


def test_refused_files_do_not_count(provider, arrangement):
    make_evidence(provider, "registration", scan_status=Evidence.Scan.INFECTED)
    assert states(provider, arrangement)["registration"] == Readiness.MISSING


def test_another_providers_evidence_does_not_count(provider, other_provider, arrangement):
    make_evidence(other_provider, "registration")
    assert states(provider, arrangement)["registration"] == Readiness.MISSING


def test_expiring_soon_turns_ready_when_time_moves_back_and_missing_when_it_passes(
    provider, arrangement, _frozen_today
):
    make_evidence(provider, "registration")
    make_evidence(provider, "safeguarding-lead", expires_on=datetime.date(2026, 12, 31))
    assert states(provider, arrangement)["safeguarding-lead"] == Readiness.READY
    _frozen_today.move_to(datetime.datetime(2026, 12, 10, 12, tzinfo=datetime.UTC))
    assert states(provider, arrangement)["safeguarding-lead"] == Readiness.EXPIRING_SOON
    _frozen_today.move_to(datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC))
    assert states(provider, arrangement)["safeguarding-lead"] == Readiness.MISSING


# -- The page ----------------------------------------------------------------------------------------------------


def test_the_page_shows_each_criterion_with_its_state_and_guidance(staff_client, provider, arrangement):
    make_evidence(provider, "registration", title="Certificate of incorporation")
    body = staff_client.get(reverse("commissioning:readiness", kwargs={"pk": arrangement.pk})).content.decode()
    assert "What you need to apply to Elmbridge AP dynamic purchasing system" in body
    assert "You are an unregistered provider" in body
    assert "Sole traders can apply to unregistered lots." in body  # the registration criterion's guidance
    assert "Ready" in body and "Missing" in body
    assert "You are ready on 1 of 5 criteria." in body
    assert "Start an application" in body


def test_the_page_narrows_to_the_lots_ticked(staff_client, provider, arrangement):
    lot_1 = arrangement.lots.get(number=1)
    body = staff_client.get(
        reverse("commissioning:readiness", kwargs={"pk": arrangement.pk}), {"lots": [lot_1.pk]}
    ).content.decode()
    assert "Designated safeguarding lead" in body
    assert "DfE national standards for unregistered AP" not in body
    assert "What lot 1 needs" in body


def test_a_lot_of_another_arrangement_in_the_query_is_an_error_not_a_500(staff_client, la, arrangement):
    from .makers import make_arrangement

    other = make_arrangement(la, title="Other")
    response = staff_client.get(
        reverse("commissioning:readiness", kwargs={"pk": arrangement.pk}), {"lots": [other.lots.first().pk]}
    )
    assert response.status_code == 200
    assert "Choose lots from the list" in response.content.decode()
