"""GET /api/oruk/organizations and /api/oruk/organizations/{id}: providers with published provisions only."""

import pytest

from aphub.directory import oruk
from aphub.directory.models import Provision
from aphub.organisations.models import Provider
from tests.factories import ProviderFactory, ProvisionFactory

from .test_oruk_schemas import assert_valid, assert_valid_page, schema

pytestmark = pytest.mark.django_db


def test_the_list_has_only_providers_with_a_published_provision(client):
    listed = ProviderFactory(legal_name="Listed Ltd")
    ProvisionFactory(provider=listed)
    ProvisionFactory(provider=listed)  # two provisions, still one organization
    drafting = ProviderFactory(legal_name="Drafting Ltd")
    ProvisionFactory(provider=drafting, status=Provision.Status.DRAFT)
    ProviderFactory(legal_name="No provisions Ltd")

    body = client.get("/api/oruk/organizations").json()
    assert_valid_page(body, schema("organization_list.json"))
    assert [org["name"] for org in body["contents"]] == ["Listed Ltd"]


def test_a_full_organization_validates_with_identifiers_and_published_services(client):
    provider = ProviderFactory(
        legal_name="Oak Tree Education Ltd",
        ukprn="10099999",
        charity_number="1234567",
        registration_status=Provider.RegistrationStatus.UNREGISTERED,
        ofsted_outcome=Provider.OfstedOutcome.NOT_APPLICABLE,
    )
    ProvisionFactory(provider=provider, name="Published one", term_codes=["tier-2", "semh"])
    ProvisionFactory(provider=provider, name="Archived one", status=Provision.Status.ARCHIVED)

    response = client.get(f"/api/oruk/organizations/{oruk.organization_id(provider)}")
    assert response.status_code == 200
    body = response.json()
    assert_valid(body, schema("organization.json"))
    assert {(i["identifier_type"], i["identifier"]) for i in body["organization_identifiers"]} == {
        ("UKPRN", "10099999"),
        ("Charity number", "1234567"),
    }
    assert [service["name"] for service in body["services"]] == ["Published one"]


def test_a_provider_without_published_provisions_is_not_found(client):
    provider = ProviderFactory()
    ProvisionFactory(provider=provider, status=Provision.Status.SUBMITTED)
    assert client.get(f"/api/oruk/organizations/{oruk.organization_id(provider)}").status_code == 404
    assert client.get("/api/oruk/organizations/not-a-uuid").status_code == 404


def test_organizations_page_and_reject_a_bad_page(client):
    for number in range(3):
        ProvisionFactory(provider=ProviderFactory(legal_name=f"Provider {number}"))
    body = client.get("/api/oruk/organizations?page=2&per_page=2").json()
    assert [org["name"] for org in body["contents"]] == ["Provider 2"]
    assert (body["total_pages"], body["last_page"]) == (2, True)
    response = client.get("/api/oruk/organizations?per_page=x")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "per_page"
