"""The public directory pages: no sign-in, published provisions only, bad input never a 500."""

import re

import pytest
from django.urls import reverse

from aphub.directory.models import Provision
from aphub.organisations.models import Provider
from tests.factories import CostOptionFactory, ProviderFactory, ProvisionFactory

pytestmark = pytest.mark.django_db


def test_search_page_lists_published_provisions_with_what_a_parent_needs(client):
    provider = ProviderFactory(legal_name="Bright Futures Learning Ltd")
    provision = ProvisionFactory(
        provider=provider, name="Horizons Centre", places=12, age_min=11, age_max=16, term_codes=["tier-2", "ks3"]
    )
    CostOptionFactory(provision=provision, amount="95.00", unit="day")
    CostOptionFactory(provision=provision, amount="450.00", unit="week")
    ProvisionFactory(name="Secret draft", status=Provision.Status.DRAFT)
    response = client.get(reverse("directory:search"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Find alternative provision – AP Hub</title>" in html
    assert "Horizons Centre" in html and "Secret draft" not in html
    assert "Bright Futures Learning Ltd" in html
    assert "Tier 2: time-limited placement" in html
    assert "11 to 16" in html
    assert "12 of 12" in html
    assert "From £95.00 per day" in html
    assert "1 provision found" in html


def test_a_result_shows_its_tiers_alone_and_its_cheapest_cost(client):
    provision = ProvisionFactory(name="Horizons Centre", term_codes=["tier-3", "tier-1", "ks3", "semh"])
    CostOptionFactory(provision=provision, amount="450.00", unit="week")
    CostOptionFactory(provision=provision, amount="95.00", unit="day")
    html = client.get(reverse("directory:search")).content.decode()
    tiers = html.split("Tier</dt>", 1)[1].split("</dd>", 1)[0]
    # In the vocabulary's order, whatever order they were given in; the key stage and need are not tiers.
    shown = re.sub(r"\s+", " ", tiers).strip()
    assert shown.endswith("Tier 1: targeted support in mainstream school<br>Tier 3: transitional placement<br>")
    assert "Key stage 3" not in tiers and "SEMH" not in tiers
    assert "From £95.00 per day" in html and "£450.00" not in html


def test_search_filters_from_the_query_string(client):
    ProvisionFactory(name="Semh place", term_codes=["ks3", "semh"])
    ProvisionFactory(name="Autism place", term_codes=["ks3", "autism"])
    response = client.get(reverse("directory:search"), {"key_stage": "ks3", "need": "semh"})
    html = response.content.decode()
    assert "Semh place" in html and "Autism place" not in html
    assert re.search(r'value="semh"\s+checked="checked"', html)  # the filter stays ticked
    assert not re.search(r'value="autism"\s+checked="checked"', html)


def test_distance_search_shows_the_distance(client):
    ProvisionFactory(name="Near", postcode="B91 8YT", latitude=52.40065, longitude=-1.790631)
    response = client.get(reverse("directory:search"), {"postcode": "B91 3SX", "within": "5", "sort": "distance"})
    html = response.content.decode()
    assert "0.6 miles" in html
    assert "within 5 miles of B91 3SX" in html


@pytest.mark.parametrize("postcode", ["not a postcode", "B91", "x" * 500, "12345"])
def test_an_invalid_postcode_gives_an_error_summary_not_a_500(client, postcode):
    response = client.get(reverse("directory:search"), {"postcode": postcode, "within": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a real postcode, like B91 3QB" in html
    assert "<title>Error: Find alternative provision" in html


def test_an_unknown_postcode_says_so(client):
    response = client.get(reverse("directory:search"), {"postcode": "ZE3 9JZ", "within": "5"})
    assert response.status_code == 200
    assert "We could not find the postcode ZE3 9JZ" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"tier": "tier-99"},
        {"within": "1000"},
        {"sort": "price"},
        {"page": "-1"},
        {"page": "9999"},
        {"words": "x" * 1000},
        {"sort": "distance"},
    ],
)
def test_tampered_query_strings_never_give_a_500(client, query):
    ProvisionFactory()
    response = client.get(reverse("directory:search"), query)
    assert response.status_code == 200


def test_pagination_component_keeps_the_filters(client):
    for n in range(25):
        ProvisionFactory(name=f"Provision {n:02d}", term_codes=["ks3"])
    response = client.get(reverse("directory:search"), {"key_stage": "ks3", "sort": "name"})
    html = response.content.decode()
    assert "25 provisions found" in html
    assert "govuk-pagination" in html
    assert "key_stage=ks3&amp;sort=name&amp;page=2" in html or "sort=name&amp;key_stage=ks3&amp;page=2" in html
    page_two = client.get(reverse("directory:search"), {"key_stage": "ks3", "sort": "name", "page": 2})
    assert "Provision 24" in page_two.content.decode()
    assert "Provision 00" not in page_two.content.decode()


def test_search_page_query_count_is_small(client, django_assert_max_num_queries):
    for n in range(30):
        provision = ProvisionFactory(
            name=f"Provision {n:02d}",
            term_codes=["tier-2", "ks3", "semh"],
            postcode="B91 8YT",
            latitude=52.40065,
            longitude=-1.790631,
        )
        CostOptionFactory(provision=provision)
    with django_assert_max_num_queries(9):
        response = client.get(
            reverse("directory:search"),
            {
                "words": "provision",
                "key_stage": "ks3",
                "need": "semh",
                "postcode": "B91 3SX",
                "within": "5",
                "with_vacancies": "on",
                "sort": "distance",
            },
        )
    assert "30 provisions found" in response.content.decode()
    # 7: the six of a page of results and the list of local authorities for the filter, one query whatever the
    # number of results (the filtered search above pays for it by counting vacancies once).
    with django_assert_max_num_queries(7):
        client.get(reverse("directory:search"), {"tier": "tier-2"})


def test_provision_page_shows_everything_a_parent_needs(client):
    provider = ProviderFactory(
        legal_name="Bright Futures Learning Ltd",
        ukprn="10012345",
        urn="123456",
        registration_status=Provider.RegistrationStatus.REGISTERED_SCHOOL,
        ofsted_outcome=Provider.OfstedOutcome.GOOD,
        ofsted_date="2024-03-05",
    )
    provision = ProvisionFactory(
        provider=provider,
        name="Horizons Centre",
        term_codes=["tier-2", "ks3", "semh", "on-site"],
        attendance_pattern=Provision.AttendancePattern.PART_TIME,
        sessions_offered="Mornings only",
        typical_duration_weeks=20,
        admissions_criteria="Referred by the school",
        exit_criteria="Back to school",
        address_line_1="1 Station Road",
        town="Elmbridge",
        contact_email="office@example.org",
        how_to_refer="Phone the office",
        places=9,
    )
    CostOptionFactory(provision=provision, label="Morning session", amount="60.00", unit="session")
    response = client.get(reverse("directory:provision", kwargs={"pk": provision.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "<title>Horizons Centre – AP Hub</title>",
        "Tier 2: time-limited placement",
        "Key stage 3 (ages 11 to 14)",
        "Social, emotional and mental health (SEMH)",
        "On site",
        "Part time",
        "Mornings only",
        "20 weeks",
        "Referred by the school",
        "Back to school",
        "Morning session",
        "£60.00 per session",
        "1 Station Road",
        "office@example.org",
        "Phone the office",
        "Registered school",
        "Good, 5 March 2024",
        "10012345",
        "123456",
    ]:
        assert text in html, text


@pytest.mark.parametrize("status", ["draft", "submitted", "archived"])
def test_provision_page_is_404_unless_published(client, status):
    provision = ProvisionFactory(status=status)
    assert client.get(reverse("directory:provision", kwargs={"pk": provision.pk})).status_code == 404


def test_provision_page_never_shows_pending_changes(client):
    provision = ProvisionFactory(name="Approved name")
    provision.pending_changes = {"fields": {"name": "Proposed name"}, "term_codes": [], "cost_options": []}
    provision.save()
    html = client.get(reverse("directory:provision", kwargs={"pk": provision.pk})).content.decode()
    assert "Approved name" in html and "Proposed name" not in html


def test_missing_provision_is_404(client):
    assert client.get(reverse("directory:provision", kwargs={"pk": 987654})).status_code == 404
