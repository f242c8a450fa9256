"""A NUL character (a zero byte) in anything a person or a client sends gets a clear message on every database.

PostgreSQL cannot store a NUL in text and its driver refuses one even in a search ("A string literal cannot contain
NUL (0x00) characters"); SQLite keeps it silently. Neither may reach the database.
"""

import json

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from aphub.organisations.services import issue_api_token
from aphub.placements.models import Episode
from aphub.pupils.models import Pupil
from tests.factories import LocalAuthorityFactory, PupilFactory, member

pytestmark = pytest.mark.django_db

MESSAGE = "a NUL character (a zero byte)"


def test_a_nul_in_a_public_search_is_a_clear_400_page(client):
    response = client.get(reverse("directory:search"), {"words": "maths\x00"})
    page = response.content.decode()
    assert response.status_code == 400
    assert MESSAGE in page and "words" in page


def test_a_nul_in_a_signed_in_search_is_a_clear_400_page(client):
    la = LocalAuthorityFactory()
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.get(reverse("placements:pupils"), {"q": "Smith\x00"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_a_nul_in_a_form_field_changes_nothing_and_says_why(client):
    la = LocalAuthorityFactory()
    pupil = PupilFactory(local_authority=la, first_name="Robin")
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.post(reverse("pupils:edit", args=[pupil.pk]), {"first_name": "Rob\x00in"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert Pupil.objects.get().first_name == "Robin"


def test_a_nul_in_a_json_body_is_a_json_400_naming_the_problem(client):
    la = LocalAuthorityFactory()
    admin = member(Role.LA_ADMIN, la)
    token = issue_api_token(membership=admin.memberships.get(), name="MIS").plaintext
    body = {"upn": "A123\x00", "kind": "permanent-exclusion", "start_date": "2026-11-02"}
    response = client.post(
        "/api/episodes/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert MESSAGE in response.json()["detail"]
    assert not Episode.objects.exists()


def test_a_form_encoded_request_to_the_json_api_is_a_400_not_a_server_error(client):
    # Checking the form for a NUL read the request's stream, and the API could then not read its body (a 500).
    la = LocalAuthorityFactory()
    token = issue_api_token(membership=member(Role.LA_ADMIN, la).memberships.get(), name="MIS").plaintext
    response = client.post("/api/episodes/", {"upn": "A123"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400
    assert response.json()["detail"]
