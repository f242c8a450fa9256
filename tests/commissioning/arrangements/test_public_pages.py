"""The public arrangement pages: published arrangements only, lots in plain English, open or closed, how to apply."""

import pytest
from django.urls import reverse

from aphub.commissioning.models import Lot

from .makers import make_arrangement

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_published_arrangements_only(client, la, other_la):
    make_arrangement(la, title="Elmbridge purchasing system", status="open", lots=5)
    make_arrangement(other_la, title="Ashcombe framework", status="closed", kind="open-framework", partners=[la])
    make_arrangement(la, title="Secret draft market", status="draft")
    response = client.get(reverse("commissioning:public-arrangements"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Elmbridge purchasing system" in html and "5 lots" in html and "Open for applications" in html
    assert "Ashcombe framework" in html and "Closed to new applications" in html
    assert "Ashcombe Moor Council, with Elmbridge Vale Council" in html
    assert "Secret draft market" not in html


def test_the_public_page_explains_each_lot_in_plain_english_and_how_to_apply(client, la):
    arrangement = make_arrangement(la, title="Elmbridge purchasing system", lots=0, reference="elmbridge-dps")
    Lot.objects.create(
        arrangement=arrangement,
        number=1,
        title="One-to-one tuition",
        description="Tuition at home",
        criteria=["insurance-public-liability", "national-standards-unregistered-ap"],
        for_unregistered=True,
    )
    response = client.get(reverse("commissioning:public-arrangement", kwargs={"reference": "elmbridge-dps"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Elmbridge purchasing system" in html
    assert "Lot 1: One-to-one tuition" in html and "Tuition at home" in html
    assert "Public liability insurance" in html and "at least £5 million" in html
    assert "Evidence: Insurance schedule. It has an expiry date" in html
    assert "Unregistered providers can apply to this lot" in html
    assert "DfE national standards for unregistered AP" in html
    assert "Open: you can apply at any time while it stays open." in html
    assert "Sign in as a provider to apply" in html
    assert reverse("organisations:sign-in") in html
    assert "/api/ocds/releases?arrangement=elmbridge-dps" in html


def test_a_closed_arrangement_says_it_takes_no_applications(client, la):
    make_arrangement(la, status="closed", reference="closed-dps")
    html = client.get(reverse("commissioning:public-arrangement", kwargs={"reference": "closed-dps"})).content.decode()
    assert "Closed: it takes no new applications at the moment" in html
    assert "Sign in as a provider to apply" not in html


def test_a_dynamic_market_shows_parts(client, la):
    make_arrangement(la, kind="dynamic-market", reference="the-market", lots=2)
    html = client.get(reverse("commissioning:public-arrangement", kwargs={"reference": "the-market"})).content.decode()
    assert "Part 1: Provision 1" in html and "Part 2: Provision 2" in html and "Lot 1" not in html
    assert "Dynamic market (Procurement Act 2023)" in html
    assert "Every provider that meets the conditions of a part is admitted to it: there is no limit" in html


def test_an_approved_list_promises_no_unlimited_admission(client, la):
    make_arrangement(la, kind="approved-list", reference="the-list")
    html = client.get(reverse("commissioning:public-arrangement", kwargs={"reference": "the-list"})).content.decode()
    assert "there is no limit" not in html


@pytest.mark.parametrize("who", [None, "officer", "other_officer", "provider_staff"])
def test_a_draft_is_a_404_on_the_public_page_for_everyone(request, client, la, who):
    make_arrangement(la, status="draft", reference="not-yet", title="Unpublished market")
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("commissioning:public-arrangement", kwargs={"reference": "not-yet"}))
    assert response.status_code == 404
    assert "Unpublished market" not in response.content.decode()


@pytest.mark.parametrize("reference", ["no-such-thing", "a" * 200, "manage-x"])
def test_an_unknown_reference_is_a_404(client, db, reference):
    assert client.get(f"/arrangements/{reference}/").status_code == 404


def test_the_public_pages_need_no_sign_in_and_show_no_staff_pages(client, la):
    make_arrangement(la, reference="open-dps")
    assert client.get("/arrangements/").status_code == 200
    assert client.get("/arrangements/open-dps/").status_code == 200
    assert client.get(reverse("commissioning:arrangements-manage")).status_code == 302


def test_the_public_list_keeps_its_query_count_flat(client, la, django_assert_max_num_queries):
    for _ in range(6):
        make_arrangement(la, lots=3)
    with django_assert_max_num_queries(8):
        client.get(reverse("commissioning:public-arrangements"))
