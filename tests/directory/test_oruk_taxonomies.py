"""GET /api/oruk/taxonomies and /api/oruk/taxonomy_terms: the AP Hub vocabulary with the directory's Term codes."""

import pytest

from aphub.directory import oruk
from aphub.directory.models import Term

from .test_oruk_schemas import assert_valid, assert_valid_page, taxonomy_schema, taxonomy_term_schema

pytestmark = pytest.mark.django_db


def test_there_is_one_taxonomy_called_ap_hub(client):
    body = client.get("/api/oruk/taxonomies").json()
    assert_valid_page(body, taxonomy_schema(), openapi_path="/taxonomies")
    assert [taxonomy["name"] for taxonomy in body["contents"]] == ["AP Hub"]


def test_the_taxonomy_lists_every_directory_term_under_its_vocabulary(client):
    response = client.get(f"/api/oruk/taxonomies/{oruk.taxonomy_id()}")
    assert response.status_code == 200
    body = response.json()
    assert_valid(body, taxonomy_schema())
    by_term = {term["term"]: term for term in body["taxonomy_terms"]}
    assert set(Term.objects.values_list("code", flat=True)) <= set(by_term)
    assert by_term["semh"]["parent_id"] == by_term["need"]["id"]
    assert by_term["tier-2"]["parent_id"] == by_term["tier"]["id"]
    assert "parent_id" not in by_term["tier"]
    assert {"registered-school", "unregistered", "good", "full-time"} <= set(by_term)


def test_taxonomy_terms_page_and_validate(client):
    first = client.get("/api/oruk/taxonomy_terms?per_page=10").json()
    assert_valid_page(first, taxonomy_term_schema(), openapi_path="/taxonomy_terms")
    second = client.get("/api/oruk/taxonomy_terms?per_page=10&page=2").json()
    assert first["total_items"] == second["total_items"] >= Term.objects.count()
    assert not {t["id"] for t in first["contents"]} & {t["id"] for t in second["contents"]}


def test_a_taxonomy_term_by_id(client):
    term_id = oruk.TermCatalogue().get("key-stage", "ks3").id
    response = client.get(f"/api/oruk/taxonomy_terms/{term_id}")
    assert response.status_code == 200
    assert_valid(response.json(), taxonomy_term_schema())
    assert response.json()["name"] == "Key stage 3 (ages 11 to 14)"


def test_term_ids_come_from_the_code_not_the_database_key():
    term = Term.objects.get(code="ks3")
    before = oruk.TermCatalogue().get("key-stage", "ks3").id
    term.delete()
    Term.objects.create(vocabulary="key-stage", code="ks3", label="Key stage 3 (ages 11 to 14)")
    assert oruk.TermCatalogue().get("key-stage", "ks3").id == before


@pytest.mark.parametrize("path", ["taxonomies", "taxonomy_terms"])
def test_unknown_taxonomy_ids_give_404(client, path):
    assert client.get(f"/api/oruk/{path}/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get(f"/api/oruk/{path}/nope").status_code == 404
