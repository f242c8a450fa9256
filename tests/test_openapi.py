"""The project's OpenAPI document at /api/openapi.json and its docs page."""

import json

import pytest

pytestmark = pytest.mark.django_db

ORUK_PATHS = [
    "/api/oruk/",
    "/api/oruk/services",
    "/api/oruk/services/{id}",
    "/api/oruk/service_at_locations",
    "/api/oruk/service_at_locations/{id}",
    "/api/oruk/organizations",
    "/api/oruk/organizations/{id}",
    "/api/oruk/taxonomies",
    "/api/oruk/taxonomies/{id}",
    "/api/oruk/taxonomy_terms",
    "/api/oruk/taxonomy_terms/{id}",
]


def test_the_openapi_document_is_served_as_json_with_the_oruk_paths(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert set(ORUK_PATHS) <= set(document["paths"])


def test_the_openapi_document_points_oruk_answers_at_the_profile_schemas(client):
    document = client.get("/api/openapi.json").json()
    service = document["paths"]["/api/oruk/services/{id}"]["get"]["responses"]["200"]
    assert service["content"]["application/json"]["schema"]["$ref"].endswith("/schema/compiled/service.json")
    services = document["paths"]["/api/oruk/services"]["get"]
    assert {"page", "per_page", "search", "taxonomy_term_id"} <= {p["name"] for p in services["parameters"]}
    assert "400" in services["responses"]


def test_the_docs_page_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"/api/openapi.json" in response.content
