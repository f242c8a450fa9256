"""The demo's arrangements: an Oxfordshire-style DPS with five lots, open and published, and a draft dynamic market
with parts shared with the second demo LA. Built again, nothing changes."""

import pytest
from django.urls import reverse

from aphub.commissioning.models import CommercialArrangement, Lot
from aphub.demo.build import DEMO_LA_CODE, build_demo
from aphub.demo.commissioning import DPS_REFERENCE, MARKET_REFERENCE, build_demo_arrangement
from tests.commissioning.test_ocds import assert_valid_package

pytestmark = pytest.mark.django_db

NATIONAL = "national-standards-unregistered-ap"


def test_the_demo_dps_has_five_lots_and_is_open_and_published(la, other_la):
    counts = build_demo_arrangement(la)
    assert counts == {"arrangements": 2, "lots and parts": 8}
    dps = CommercialArrangement.objects.get(reference=DPS_REFERENCE)
    assert (dps.owner, dps.kind, dps.status, dps.lot_word) == (la, "dps", "open", "lot")
    assert dps.published_at is not None
    assert [str(lot) for lot in dps.lots.all()] == [
        "Lot 1: Face to face full time",
        "Lot 2: Part time and vocational",
        "Lot 3: Therapeutic",
        "Lot 4: Online",
        "Lot 5: One-to-one tuition",
    ]
    unregistered = dps.lots.filter(for_unregistered=True)
    assert [lot.number for lot in unregistered] == [2, 3, 5]
    assert all(NATIONAL in lot.criteria for lot in unregistered)
    assert not any(NATIONAL in lot.criteria for lot in dps.lots.filter(for_unregistered=False))
    assert "ofsted-outcome" in dps.lots.get(number=1).criteria
    assert all("safeguarding-lead" in lot.criteria for lot in dps.lots.all())


def test_the_demo_dynamic_market_is_a_draft_with_parts_shared_with_the_second_la(la, other_la):
    build_demo_arrangement(la)
    market = CommercialArrangement.objects.get(reference=MARKET_REFERENCE)
    assert (market.kind, market.status, market.published_at, market.lot_word) == (
        "dynamic-market",
        "draft",
        None,
        "part",
    )
    assert list(market.partners.all()) == [other_la]
    assert str(market.lots.get(number=3)) == "Part 3: Tuition and online learning"


def test_building_it_again_changes_nothing(la, other_la):
    build_demo_arrangement(la)
    before = list(Lot.objects.order_by("pk").values())
    arrangements = list(CommercialArrangement.objects.order_by("pk").values())
    assert build_demo_arrangement(la) == {"arrangements": 2, "lots and parts": 8}
    assert list(Lot.objects.order_by("pk").values()) == before
    assert list(CommercialArrangement.objects.order_by("pk").values()) == arrangements


def test_the_whole_demo_publishes_the_dps_and_its_ocds_feed_validates(client):
    build_demo()
    assert CommercialArrangement.objects.filter(owner__la_code=DEMO_LA_CODE).count() == 2
    page = client.get(reverse("commissioning:public-arrangement", kwargs={"reference": DPS_REFERENCE}))
    assert page.status_code == 200 and "Lot 5: One-to-one tuition" in page.content.decode()
    draft = client.get(reverse("commissioning:public-arrangement", kwargs={"reference": MARKET_REFERENCE}))
    assert draft.status_code == 404
    package = client.get("/api/ocds/releases").json()
    assert_valid_package(package)
    assert [release["tender"]["id"] for release in package["releases"]] == [DPS_REFERENCE]
