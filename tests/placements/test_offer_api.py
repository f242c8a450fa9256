"""Offering a place through the JSON API (POST /api/placements/): the page's offer through the same service, so an LA
that prices top-ups by band chooses a band by its code, or an exception with its amount and reason, and a refusal
lists every problem in the page's words (decisions 0025 and 0030)."""

import datetime
from decimal import Decimal

import pytest

from aphub.commissioning.bands import services as bands
from aphub.placements import services
from aphub.placements.models import Placement
from aphub.placements.top_ups import BANDS_NOT_COST, NOT_A_BAND_IN_USE, REASON_MISSING
from tests.factories import EpisodeFactory, LocalAuthorityFactory, ProvisionFactory, PupilFactory, TopUpBandFactory

from .test_episode_changes_api import as_

URL = "/api/placements/"


@pytest.fixture
def table(town):
    return {
        "A": TopUpBandFactory(local_authority=town.la, code="A", label="Standard", annual_amount=Decimal("4000.00")),
        "B": TopUpBandFactory(local_authority=town.la, code="B", label="Enhanced", annual_amount=Decimal("8000.00")),
    }


def offer_body(town, provision, **fields) -> dict:
    episode = services.record_episode(
        user=town.officer, pupil=town.pupil(), kind="permanent-exclusion", start_date=datetime.date(2026, 11, 3)
    )
    return {
        "episode_id": episode.pk,
        "provision_id": provision.pk,
        "start_date": "2026-11-10",
        "tier": "2",
        "sessions_per_week": 10,
        "hours_per_week": "25",
        **fields,
    }


def post(client, town, body):
    return client.post(URL, body, content_type="application/json", **as_(client, town.officer))


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_an_la_offers_at_a_band_by_its_code(client, town, table):
    response = post(client, town, offer_body(town, town.provision(), top_up_band="b"))
    assert response.status_code == 201, response.content
    placement = Placement.objects.get(pk=response.json()["id"])
    assert placement.top_up_band == table["B"] and placement.annual_top_up == Decimal("8000.00")
    assert response.json()["annual_cost"] == "18000.00"  # place funding and the band's top-up, as on the page


def test_an_la_offers_an_exception_with_its_amount_and_reason(client, town, table):
    body = offer_body(
        town,
        town.provision(),
        top_up_exception=True,
        top_up_amount="12500.00",
        top_up_exception_reason="1:1 support agreed at panel",
    )
    response = post(client, town, body)
    assert response.status_code == 201, response.content
    placement = Placement.objects.get(pk=response.json()["id"])
    assert placement.top_up_band is None and placement.annual_top_up == Decimal("12500.00")
    assert placement.top_up_exception_reason == "1:1 support agreed at panel"


def test_an_unknown_band_and_every_other_problem_are_said_at_once(client, town, table):
    body = offer_body(town, town.provision(), top_up_band="Z", annual_cost="20000", sessions_per_week=0)
    errors = errors_of(post(client, town, body))
    assert errors["top_up_band"] == NOT_A_BAND_IN_USE
    assert errors["annual_cost"] == BANDS_NOT_COST
    assert "sessions_per_week" in errors
    assert not Placement.objects.exists()


def test_a_retired_band_is_refused_as_on_the_page(client, town, table):
    bands.retire_band(user=town.officer, band=table["A"])
    assert errors_of(post(client, town, offer_body(town, town.provision(), top_up_band="A"))) == {
        "top_up_band": NOT_A_BAND_IN_USE
    }


def test_a_band_for_another_provision_is_refused_with_the_pages_sentence(client, town, table):
    other, chosen = town.provision(name="Meadow Centre"), town.provision(name="Brook House")
    TopUpBandFactory(local_authority=town.la, code="C", provision=other, label="Meadow residential")
    assert errors_of(post(client, town, offer_body(town, chosen, top_up_band="C"))) == {
        "top_up_band": "Band C is for Meadow Centre: choose a band for Brook House"
    }
    # Its own provision may use it.
    assert post(client, town, offer_body(town, other, top_up_band="C")).status_code == 201


def test_an_exception_without_its_reason_or_amount_is_refused_with_both(client, town, table):
    errors = errors_of(post(client, town, offer_body(town, town.provision(), top_up_exception=True)))
    assert errors["top_up_exception_reason"] == REASON_MISSING
    assert "top_up_amount" in errors


def test_another_las_episode_is_a_404_and_a_provider_may_not_offer(client, town, table):
    body = offer_body(town, town.provision(), top_up_band="A")
    # A provider sees no episode it was not offered: a 404, as for a missing one.
    response = client.post(URL, body, content_type="application/json", **as_(client, town.p1_staff))
    assert response.status_code == 404
    body["episode_id"] = EpisodeFactory(pupil=PupilFactory(local_authority=LocalAuthorityFactory())).pk
    assert post(client, town, body).status_code == 404
    body = offer_body(town, town.provision(), top_up_band="A")
    body["provision_id"] = ProvisionFactory(provider__local_authority=LocalAuthorityFactory()).pk
    assert post(client, town, body).status_code == 404
    assert not Placement.objects.exists()
