"""GET /api/oruk/, /api/oruk/services and /api/oruk/services/{id}: real answers validated against the profile."""

from decimal import Decimal

import pytest

from aphub.directory import oruk
from aphub.directory.models import Provision
from aphub.organisations.models import Provider
from tests.factories import CostOptionFactory, ProviderFactory, ProvisionFactory

from .test_oruk_schemas import assert_valid, assert_valid_page, schema

pytestmark = pytest.mark.django_db


def full_provision(**overrides) -> Provision:
    provider = ProviderFactory(
        legal_name="Horizons Learning Trust",
        trading_name="Horizons",
        ukprn="10012345",
        urn="140001",
        companies_house_number="07654321",
        registration_status=Provider.RegistrationStatus.REGISTERED_SCHOOL,
        ofsted_outcome=Provider.OfstedOutcome.GOOD,
        website="https://horizons.example.org",
    )
    fields = {
        "provider": provider,
        "local_authority": provider.local_authority,
        "name": "Horizons Key Stage 3 Centre",
        "description": "Small classes with a therapeutic approach.",
        "age_min": 11,
        "age_max": 14,
        "sessions_offered": "Monday to Friday, 9am to 3pm",
        "typical_duration_weeks": 20,
        "admissions_criteria": "Pupils in key stage 3 at risk of permanent exclusion.",
        "exit_criteria": "A planned return to a mainstream school.",
        "how_to_refer": "Schools refer through the LA's AP panel.",
        "address_line_1": "1 Station Road",
        "town": "Solihull",
        "contact_name": "Jo Example",
        "contact_email": "referrals@horizons.example.org",
        "contact_phone": "0121 496 0000",
        "term_codes": ["tier-2", "ks3", "semh", "on-site"],
        **overrides,
    }
    provision = ProvisionFactory(**fields)
    CostOptionFactory(provision=provision, label="Full-time place", amount=Decimal("95.50"), unit="day")
    CostOptionFactory(provision=provision, label="Part-time place", amount=Decimal("300.00"), unit="week")
    return provision


def test_the_api_root_gives_the_version_profile_and_openapi_address(client):
    response = client.get("/api/oruk/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "3.0"
    assert body["openapi_url"] == "http://testserver/api/openapi.json"
    assert body["profile"].startswith("https://")


def test_the_service_list_validates_against_the_profile(client):
    full_provision()
    ProvisionFactory(term_codes=["tier-1", "ks2"])
    response = client.get("/api/oruk/services")
    assert response.status_code == 200
    body = response.json()
    assert_valid_page(body, schema("service_list.json"), openapi_path="/services")
    assert body["total_items"] == 2
    assert {item["name"] for item in body["contents"]} >= {"Horizons Key Stage 3 Centre"}


def test_a_full_service_validates_and_carries_the_ap_facts(client):
    provision = full_provision()
    response = client.get(f"/api/oruk/services/{oruk.service_id(provision)}")
    assert response.status_code == 200
    service = response.json()
    assert_valid(service, schema("service.json"))

    assert service["name"] == "Horizons Key Stage 3 Centre"
    assert service["status"] == "active"
    assert (service["minimum_age"], service["maximum_age"]) == (11, 14)
    assert service["email"] == "referrals@horizons.example.org"
    assert service["url"] == "https://horizons.example.org"
    assert "Admissions criteria: Pupils in key stage 3 at risk of permanent exclusion." in service["description"]
    assert "Phone: 0121 496 0000" in service["description"]
    assert service["accreditations"] == "Registered school. Ofsted: Good"

    costs = {(c["option"], c["amount"], c["amount_description"]) for c in service["cost_options"]}
    assert costs == {("Full-time place", 95.5, "£95.50 per day"), ("Part-time place", 300, "£300.00 per week")}
    assert service["schedules"][0]["description"] == "Monday to Friday, 9am to 3pm"
    assert service["contacts"][0]["name"] == "Jo Example"

    terms = {(a["link_type"], a["taxonomy_term"]["term"]) for a in service["attributes"]}
    assert {("tier", "tier-2"), ("key-stage", "ks3"), ("need", "semh"), ("delivery-mode", "on-site")} <= terms
    assert ("attendance-pattern", "full-time") in terms
    assert {a["taxonomy_term"]["taxonomy"] for a in service["attributes"]} == {"AP Hub"}

    location = service["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (52.4130, -1.7780)
    assert location["addresses"][0]["postal_code"] == "B91 3QB"
    assert location["addresses"][0]["address_1"] == "1 Station Road"

    organization = service["organization"]
    assert organization["name"] == "Horizons"
    assert "Horizons Learning Trust" in organization["description"]
    identifiers = {(i["identifier_scheme"], i["identifier"]) for i in organization["organization_identifiers"]}
    assert identifiers == {("GB-UKPRN", "10012345"), ("GB-EDU", "140001"), ("GB-COH", "07654321")}
    statuses = {(a["link_type"], a["taxonomy_term"]["term"]) for a in organization["attributes"]}
    assert statuses == {("registration-status", "registered-school"), ("ofsted-outcome", "good")}


def test_a_minimal_service_without_optional_facts_still_validates(client):
    provision = ProvisionFactory(postcode="", latitude=None, longitude=None)
    service = client.get(f"/api/oruk/services/{oruk.service_id(provision)}").json()
    assert_valid(service, schema("service.json"))
    assert service["service_at_locations"] == []
    assert service["cost_options"] == []
    assert "email" not in service and "url" not in service


def test_service_ids_are_stable_uuids(client):
    provision = ProvisionFactory()
    first = client.get("/api/oruk/services").json()["contents"][0]["id"]
    assert first == client.get("/api/oruk/services").json()["contents"][0]["id"] == oruk.service_id(provision)


def test_the_second_page_holds_the_rest_and_says_it_is_last(client):
    for number in range(5):
        ProvisionFactory(name=f"Provision {number}")
    body = client.get("/api/oruk/services?page=2&per_page=2").json()
    assert_valid_page(body, schema("service_list.json"), openapi_path="/services")
    assert [item["name"] for item in body["contents"]] == ["Provision 2", "Provision 3"]
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (5, 3, 2, 2)
    assert (body["first_page"], body["last_page"], body["empty"]) == (False, False, False)

    last = client.get("/api/oruk/services?page=3&per_page=2").json()
    assert [item["name"] for item in last["contents"]] == ["Provision 4"]
    assert last["last_page"] is True


def test_a_page_past_the_end_is_empty_not_an_error(client):
    ProvisionFactory()
    response = client.get("/api/oruk/services?page=9")
    assert response.status_code == 200
    body = response.json()
    assert body["empty"] is True and body["contents"] == [] and body["size"] == 0


def test_an_empty_directory_is_one_empty_answer(client):
    body = client.get("/api/oruk/services").json()
    assert_valid_page(body, schema("service_list.json"), openapi_path="/services")
    assert (body["total_items"], body["total_pages"], body["empty"]) == (0, 0, True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=two", "page"),
        ("per_page=0", "per_page"),
        ("per_page=100000", "per_page"),
        ("per_page=1.5", "per_page"),
        ("minimum_age=old", "minimum_age"),
        ("maximum_age=nan", "maximum_age"),
    ],
)
def test_a_bad_parameter_gives_400_naming_it(client, query, field):
    response = client.get(f"/api/oruk/services?{query}")
    assert response.status_code == 400
    body = response.json()
    assert [error["field"] for error in body["errors"]] == [field]
    assert field in body["detail"]


@pytest.mark.parametrize(
    "bad_id",
    ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%27%3B--", "1"],
)
def test_an_unknown_or_malformed_service_id_gives_a_json_404(client, bad_id):
    ProvisionFactory()
    response = client.get(f"/api/oruk/services/{bad_id}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("status", [Provision.Status.DRAFT, Provision.Status.SUBMITTED, Provision.Status.ARCHIVED])
def test_unpublished_provisions_never_appear(client, status):
    hidden = ProvisionFactory(status=status, name="Hidden provision")
    ProvisionFactory(name="Public provision")
    names = [item["name"] for item in client.get("/api/oruk/services").json()["contents"]]
    assert names == ["Public provision"]
    assert client.get(f"/api/oruk/services/{oruk.service_id(hidden)}").status_code == 404
    assert client.get("/api/oruk/services?search=Hidden").json()["total_items"] == 0


def test_pending_changes_are_not_published_until_approved(client):
    provision = ProvisionFactory(
        name="Approved name",
        age_min=11,
        term_codes=["ks3"],
        # The shape directory/snapshots.py gives a provider's proposed edit.
        pending_changes={
            "fields": {"name": "Unapproved name", "age_min": 5, "summary": "Unapproved summary"},
            "term_codes": ["ks1"],
            "cost_options": [{"label": "Unapproved cost", "amount": "1.00", "unit": "day"}],
        },
    )
    listed = client.get("/api/oruk/services").json()["contents"][0]
    full = client.get(f"/api/oruk/services/{oruk.service_id(provision)}").json()
    for service in (listed, full):
        assert service["name"] == "Approved name"
        assert service["minimum_age"] == 11
        assert "Unapproved" not in str(service)
    assert {a["taxonomy_term"]["term"] for a in full["attributes"]} == {"ks3", "full-time"}
    assert full["cost_options"] == []


def test_search_finds_every_word_in_the_service_or_provider(client):
    full_provision()
    ProvisionFactory(name="Riverside Tuition", summary="One-to-one tuition at home")
    names = lambda q: [s["name"] for s in client.get(f"/api/oruk/services?search={q}").json()["contents"]]  # noqa: E731
    assert names("therapeutic") == ["Horizons Key Stage 3 Centre"]
    assert names("tuition home") == ["Riverside Tuition"]
    assert names("Horizons Learning Trust") == ["Horizons Key Stage 3 Centre"]
    assert names("tuition therapeutic") == []


def test_taxonomy_term_filter_returns_services_with_that_term(client):
    full_provision()
    ProvisionFactory(name="Primary outreach", term_codes=["tier-1", "ks2"])
    catalogue = oruk.TermCatalogue()

    def names(term_id: str) -> list[str]:
        body = client.get(f"/api/oruk/services?taxonomy_term_id={term_id}").json()
        return [s["name"] for s in body["contents"]]

    assert names(catalogue.get("key-stage", "ks3").id) == ["Horizons Key Stage 3 Centre"]
    assert names(catalogue.get("key-stage", "").id) == ["Horizons Key Stage 3 Centre", "Primary outreach"]
    assert names(catalogue.get("registration-status", "registered-school").id) == ["Horizons Key Stage 3 Centre"]
    assert names("00000000-0000-0000-0000-000000000000") == []
    assert names("rubbish") == []


def test_taxonomy_and_organization_filters(client):
    provision = full_provision()
    ProvisionFactory(name="Other provider's provision")
    by_org = client.get(f"/api/oruk/services?organization_id={oruk.organization_id(provision.provider)}").json()
    assert [s["name"] for s in by_org["contents"]] == ["Horizons Key Stage 3 Centre"]
    by_taxonomy = client.get(f"/api/oruk/services?taxonomy_id={oruk.taxonomy_id()}").json()
    assert by_taxonomy["total_items"] == 2
    assert client.get("/api/oruk/services?taxonomy_id=nope").json()["total_items"] == 0


def test_age_filters_follow_the_profiles_wording(client):
    ProvisionFactory(name="Primary", age_min=5, age_max=11)
    ProvisionFactory(name="Secondary", age_min=11, age_max=16)
    names = lambda q: [s["name"] for s in client.get(f"/api/oruk/services?{q}").json()["contents"]]  # noqa: E731
    assert names("minimum_age=11") == ["Secondary"]  # minimum age of at least 11
    assert names("maximum_age=11") == ["Primary"]  # maximum age equal to or below 11


def test_public_read_answers_allow_any_origin_and_caching(client):
    provision = ProvisionFactory()
    for url in ("/api/oruk/", "/api/oruk/services", f"/api/oruk/services/{oruk.service_id(provision)}"):
        response = client.get(url)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Cache-Control"] == "public, max-age=300"
    missing = client.get("/api/oruk/services/nope")
    assert missing["Access-Control-Allow-Origin"] == "*"
    assert missing["Cache-Control"] == "no-cache"


def test_the_service_list_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(10):
        ProvisionFactory(term_codes=["tier-2"])
    with django_assert_max_num_queries(12):
        assert client.get("/api/oruk/services").status_code == 200
