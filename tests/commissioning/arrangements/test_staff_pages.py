"""LA staff set up, fill and publish an arrangement through the pages; partners and auditors only read."""

import pytest
from django.urls import reverse

from aphub.commissioning.models import CommercialArrangement, Lot

from .makers import make_arrangement

pytestmark = pytest.mark.django_db


def arrangement_form(**overrides):
    data = {
        "kind": "dps",
        "title": "Alternative provision dynamic purchasing system",
        "reference": "elmbridge-ap-dps-2023",
        "description": "Five lots",
        "starts_on_0": "1",
        "starts_on_1": "9",
        "starts_on_2": "2023",
        "ends_on_0": "31",
        "ends_on_1": "8",
        "ends_on_2": "2027",
    }
    data.update(overrides)
    return data


def test_an_officer_sets_up_adds_lots_and_publishes_through_the_pages(client, la, officer, other_la):
    client.force_login(officer)
    response = client.post(reverse("commissioning:arrangement-new"), arrangement_form(partners=[other_la.pk]))
    arrangement = CommercialArrangement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("commissioning:arrangement-manage", kwargs={"pk": arrangement.pk})
    page = client.get(response.url).content.decode()
    assert "is saved as a draft. Add its lots, then publish it." in page
    assert "Ashcombe Moor Council" in page
    assert "Draft: not published" in page

    response = client.post(
        reverse("commissioning:arrangement-add-lot", kwargs={"pk": arrangement.pk}),
        {
            "title": "Therapeutic",
            "description": "",
            "criteria": ["registration", "dbs-checks"],
            "for_unregistered": "on",
        },
    )
    assert response.status_code == 302
    lot = Lot.objects.get()
    assert lot.criteria == ["registration", "dbs-checks", "national-standards-unregistered-ap"]
    assert "Lot 1: Therapeutic is added." in client.get(response.url).content.decode()

    response = client.post(reverse("commissioning:arrangement-publish", kwargs={"pk": arrangement.pk}))
    page = client.get(response.url).content.decode()
    assert "is published and open for applications" in page
    arrangement.refresh_from_db()
    assert arrangement.status == "open" and arrangement.published_at is not None
    assert reverse("commissioning:public-arrangement", kwargs={"reference": arrangement.reference}) in page

    client.post(reverse("commissioning:arrangement-close", kwargs={"pk": arrangement.pk}))
    arrangement.refresh_from_db()
    assert arrangement.status == "closed"
    client.post(reverse("commissioning:arrangement-open", kwargs={"pk": arrangement.pk}))
    arrangement.refresh_from_db()
    assert arrangement.status == "open"


def test_an_empty_form_shows_the_error_summary(client, officer):
    client.force_login(officer)
    response = client.post(reverse("commissioning:arrangement-new"), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Set up an arrangement" in html
    for message in ("Choose the type of arrangement", "Enter the title", "Enter a reference", "Enter the start date"):
        assert message in html
    assert not CommercialArrangement.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_on_0": "31", "starts_on_1": "2"}, "The start date must be a real date"),
        ({"starts_on_2": "99999999999999999999"}, "The start date must be a real date"),
        ({"ends_on_2": "2020"}, "The end date must be the same as or after the start date"),
        ({"reference": "Not a slug!"}, "only lower case letters, numbers and hyphens"),
        ({"reference": "manage"}, "cannot be &#x27;manage&#x27;"),
        ({"kind": "auction"}, "Choose the type of arrangement"),
        ({"partners": ["not-a-number"]}, "Choose partner councils from the list"),
        ({"partners": ["999999"]}, "Choose partner councils from the list"),
    ],
)
def test_bad_details_are_named_in_the_error_summary_never_a_500(client, officer, overrides, message):
    client.force_login(officer)
    response = client.post(reverse("commissioning:arrangement-new"), arrangement_form(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert not CommercialArrangement.objects.exists()


def test_a_taken_reference_is_named_in_the_error_summary(client, la, officer):
    make_arrangement(la, reference="elmbridge-ap-dps-2023")
    client.force_login(officer)
    response = client.post(reverse("commissioning:arrangement-new"), arrangement_form())
    assert "Another arrangement already uses this reference" in response.content.decode()
    assert CommercialArrangement.objects.count() == 1


def test_publishing_without_a_lot_says_why(client, la, officer):
    arrangement = make_arrangement(la, status="draft", lots=0, kind="dynamic-market")
    client.force_login(officer)
    response = client.post(reverse("commissioning:arrangement-publish", kwargs={"pk": arrangement.pk}), follow=True)
    assert "Add at least one part before you publish the arrangement." in response.content.decode()
    arrangement.refresh_from_db()
    assert arrangement.status == "draft"


def test_a_dynamic_market_speaks_of_parts_everywhere(client, la, officer):
    market = make_arrangement(la, status="draft", kind="dynamic-market", lots=1)
    client.force_login(officer)
    page = client.get(reverse("commissioning:arrangement-manage", kwargs={"pk": market.pk})).content.decode()
    assert "Add a part" in page and "Part 1: Provision 1" in page and "Add a lot" not in page
    form = client.get(reverse("commissioning:arrangement-add-lot", kwargs={"pk": market.pk})).content.decode()
    assert "<title>Add a part" in form and "What the part asks providers for" in form
    errors = client.post(reverse("commissioning:arrangement-add-lot", kwargs={"pk": market.pk}), {}).content.decode()
    assert "Enter the title of the part" in errors and "Choose at least one criterion the part asks for" in errors


def test_a_lot_is_changed_and_a_draft_lot_removed_through_the_pages(client, la, officer):
    arrangement = make_arrangement(la, status="draft", lots=2)
    lot = arrangement.lots.get(number=1)
    client.force_login(officer)
    form = client.get(reverse("commissioning:arrangement-lot-edit", kwargs={"pk": lot.pk})).content.decode()
    assert 'value="Provision 1"' in form
    response = client.post(
        reverse("commissioning:arrangement-lot-edit", kwargs={"pk": lot.pk}),
        {"title": "Online", "description": "Live lessons", "criteria": ["data-protection"]},
    )
    assert response.status_code == 302
    lot.refresh_from_db()
    assert (lot.title, lot.criteria) == ("Online", ["data-protection"])
    response = client.post(reverse("commissioning:arrangement-lot-remove", kwargs={"pk": lot.pk}), follow=True)
    assert "Lot 1: Online is removed." in response.content.decode()
    assert list(arrangement.lots.values_list("number", "title")) == [(1, "Provision 2")]


def test_the_staff_list_shows_own_and_shared_arrangements_but_not_other_councils(client, la, other_la, officer):
    make_arrangement(la, title="Own DPS", status="draft")
    make_arrangement(other_la, title="Shared market", partners=[la])
    make_arrangement(other_la, title="Their own framework")
    client.force_login(officer)
    page = client.get(reverse("commissioning:arrangements-manage")).content.decode()
    assert "Own DPS" in page and "Shared market" in page and "Their own framework" not in page
    assert "Set up an arrangement" in page


def test_a_partner_council_reads_a_shared_arrangement_but_cannot_change_it(client, la, other_la, other_officer):
    shared = make_arrangement(la, status="open", partners=[other_la])
    client.force_login(other_officer)
    page = client.get(reverse("commissioning:arrangement-manage", kwargs={"pk": shared.pk}))
    assert page.status_code == 200
    assert "Change the details" not in page.content.decode()
    for name in ("arrangement-edit", "arrangement-add-lot"):
        assert client.get(reverse(f"commissioning:{name}", kwargs={"pk": shared.pk})).status_code == 403
    assert client.post(reverse("commissioning:arrangement-close", kwargs={"pk": shared.pk})).status_code == 403
    lot = shared.lots.get()
    assert client.get(reverse("commissioning:arrangement-lot-edit", kwargs={"pk": lot.pk})).status_code == 403
    shared.refresh_from_db()
    assert shared.status == "open"


def test_another_councils_draft_is_a_404(client, other_la, officer):
    draft = make_arrangement(other_la, status="draft", title="Secret plans")
    client.force_login(officer)
    response = client.get(reverse("commissioning:arrangement-manage", kwargs={"pk": draft.pk}))
    assert response.status_code == 404 and "Secret plans" not in response.content.decode()


def test_an_auditor_reads_without_buttons(client, la, auditor):
    arrangement = make_arrangement(la, status="draft")
    client.force_login(auditor)
    page = client.get(reverse("commissioning:arrangement-manage", kwargs={"pk": arrangement.pk})).content.decode()
    assert "Publish and open for applications" not in page and "Change the details" not in page
    assert "Set up an arrangement" not in client.get(reverse("commissioning:arrangements-manage")).content.decode()


def test_a_published_arrangements_form_leaves_out_the_type_and_reference(client, la, officer):
    arrangement = make_arrangement(la, status="open", reference="fixed-ref")
    client.force_login(officer)
    url = reverse("commissioning:arrangement-edit", kwargs={"pk": arrangement.pk})
    assert 'name="reference"' not in client.get(url).content.decode()
    response = client.post(url, arrangement_form(title="Renamed", reference="sneaky", kind="dynamic-market"))
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert (arrangement.title, arrangement.reference, arrangement.kind) == ("Renamed", "fixed-ref", "dps")


def test_the_navigation_offers_arrangements_to_la_staff(client, officer, provider_staff):
    client.force_login(officer)
    assert reverse("commissioning:arrangements-manage") in client.get(reverse("organisations:home")).content.decode()
    client.force_login(provider_staff)
    home = client.get(reverse("organisations:home")).content.decode()
    assert f'href="{reverse("commissioning:arrangements-manage")}"' not in home
