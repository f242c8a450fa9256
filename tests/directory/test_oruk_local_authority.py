"""The Open Referral UK API filters services by local authority, as the public search page does: by the LA's DfE code,
on /services and /service_at_locations, documented in the OpenAPI, and the answers still valid against the profile."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from aphub.directory.geocoding import geocode
from tests.factories import LocalAuthorityFactory, ProvisionFactory

from .test_oruk_schemas import assert_valid_page, schema

pytestmark = pytest.mark.django_db


def at(postcode: str, **kwargs):
    lat, lon = geocode(postcode)
    return ProvisionFactory(postcode=postcode, latitude=lat, longitude=lon, **kwargs)


@pytest.fixture
def two_las():
    solihull = LocalAuthorityFactory(name="Solihull", la_code="334")
    coventry = LocalAuthorityFactory(name="Coventry", la_code="331")
    at("B91 8YT", name="Solihull Centre", local_authority=solihull)
    at("CV7 9GL", name="Coventry Centre", local_authority=coventry)
    ProvisionFactory(name="Solihull Draft", local_authority=solihull, status="draft")
    return solihull, coventry


def names(body: dict) -> list[str]:
    return [item["name"] for item in body["contents"]]


def test_services_filter_by_the_la_code(client, two_las):
    body = client.get("/api/oruk/services", {"local_authority": "334"}).json()
    assert names(body) == ["Solihull Centre"]  # never the LA's unpublished draft
    assert body["total_items"] == 1
    assert_valid_page(body, schema("service_list.json"), openapi_path="/services")


def test_services_at_locations_filter_by_the_la_code(client, two_las):
    response = client.get("/api/oruk/service_at_locations", {"local_authority": "331"})
    assert response.status_code == 200
    assert [item["service"]["name"] for item in response.json()["contents"]] == ["Coventry Centre"]


def test_the_la_filter_combines_with_the_profiles_filters(client, two_las):
    body = client.get("/api/oruk/services", {"local_authority": "334", "search": "Coventry"}).json()
    assert body["contents"] == [] and body["total_items"] == 0


def test_no_la_filter_lists_every_published_service(client, two_las):
    assert names(client.get("/api/oruk/services").json()) == ["Coventry Centre", "Solihull Centre"]


def test_an_la_code_of_no_local_authority_finds_nothing_as_an_unknown_organization_does(client, two_las):
    for path in ("/api/oruk/services", "/api/oruk/service_at_locations"):
        response = client.get(path, {"local_authority": "999"})
        assert response.status_code == 200
        assert response.json()["contents"] == [] and response.json()["empty"] is True


@pytest.mark.parametrize("value", ["Solihull", "1", "33", "3345", "33a", " 334"])
def test_a_malformed_la_code_is_a_400_naming_the_parameter(client, two_las, value):
    for path in ("/api/oruk/services", "/api/oruk/service_at_locations"):
        response = client.get(path, {"local_authority": value})
        assert response.status_code == 400, value
        assert "local_authority" in str(response.json()["errors"])
        assert response["Access-Control-Allow-Origin"] == "*" and response["Cache-Control"] == "no-cache"


def test_the_openapi_document_describes_the_la_filter(client):
    document = client.get("/api/openapi.json").json()
    for path in ("/api/oruk/services", "/api/oruk/service_at_locations"):
        (param,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "local_authority"]
        assert param["in"] == "query" and not param.get("required", False)
        assert {"pattern": r"^\d{3}$", "type": "string"} in param["schema"]["anyOf"]
        assert "DfE LA code" in param["description"]


def test_a_filtered_answer_is_cached_by_browsers_and_proxies_under_its_own_address(client, two_las):
    """The API's caching is HTTP's: a public max-age on the full URL, query included, so each filter is its own."""
    solihull = client.get("/api/oruk/services", {"local_authority": "334"})
    coventry = client.get("/api/oruk/services", {"local_authority": "331"})
    assert solihull["Cache-Control"] == coventry["Cache-Control"] == "public, max-age=300"
    assert names(solihull.json()) != names(coventry.json())


class TestThePublicSearchPageCache:
    """The HTML search page's server-side cache (directory/public_cache.py) keys on the LA filter too."""

    @pytest.fixture(autouse=True)
    def locmem_cache(self, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "la"}}
        cache.clear()
        yield
        cache.clear()

    def test_a_search_in_one_la_is_never_served_for_another(self, client, two_las):
        solihull, coventry = two_las
        first = client.get(reverse("directory:search"), {"local_authority": solihull.pk}).content.decode()
        second = client.get(reverse("directory:search"), {"local_authority": coventry.pk}).content.decode()
        assert "Solihull Centre" in first and "Coventry Centre" not in first
        assert "Coventry Centre" in second and "Solihull Centre" not in second

    def test_the_same_la_search_is_served_from_the_cache(self, client, two_las, django_assert_num_queries):
        solihull, _ = two_las
        client.get(reverse("directory:search"), {"local_authority": solihull.pk})
        with django_assert_num_queries(0):
            page = client.get(reverse("directory:search"), {"local_authority": solihull.pk}).content.decode()
        assert "Solihull Centre" in page
