import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from aphub.core.errors import DomainError
from aphub.organisations.api_auth import ApiTokenAuth
from aphub.organisations.models import ApiToken, Role
from aphub.organisations.services import issue_api_token, revoke_api_token
from tests.factories import LocalAuthorityFactory, ProviderFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_staff():
    return member(Role.PROVIDER_STAFF, ProviderFactory(legal_name="Greenway Learning Ltd"))


def call_with(header: str | None):
    request = RequestFactory().get("/api/something", **({"HTTP_AUTHORIZATION": header} if header else {}))
    request.user = AnonymousUser()
    return request, ApiTokenAuth()(request)


def test_a_token_is_shown_once_and_only_its_digest_is_stored(provider_staff):
    issued = issue_api_token(membership=provider_staff.memberships.get(), name="Registers", valid_days=30)
    assert issued.plaintext.startswith("aph_")
    stored = ApiToken.objects.get()
    assert issued.plaintext not in str(stored.__dict__)
    assert stored.digest == ApiToken.digest_of(issued.plaintext)


def test_a_valid_token_acts_as_its_membership(provider_staff):
    issued = issue_api_token(membership=provider_staff.memberships.get(), name="Registers")
    request, user = call_with(f"Bearer {issued.plaintext}")
    assert user == provider_staff and request.user == provider_staff
    assert request.user.membership.role == Role.PROVIDER_STAFF
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_is_refused(provider_staff):
    issued = issue_api_token(membership=provider_staff.memberships.get(), name="Registers")
    revoke_api_token(token=issued.token)
    assert call_with(f"Bearer {issued.plaintext}")[1] is None


def test_an_expired_token_is_refused(provider_staff):
    issued = issue_api_token(membership=provider_staff.memberships.get(), name="Registers", valid_days=30)
    with time_machine.travel(issued.token.expires_at + datetime.timedelta(seconds=1)):
        assert call_with(f"Bearer {issued.plaintext}")[1] is None


def test_a_wrong_or_missing_token_is_refused(provider_staff):
    issue_api_token(membership=provider_staff.memberships.get(), name="Registers")
    assert call_with("Bearer aph_not-a-real-token")[1] is None
    assert call_with("Bearer ")[1] is None
    assert call_with(None)[1] is None


def test_an_inactive_users_token_is_refused(provider_staff):
    issued = issue_api_token(membership=provider_staff.memberships.get(), name="Registers")
    provider_staff.is_active = False
    provider_staff.save()
    assert call_with(f"Bearer {issued.plaintext}")[1] is None


def test_a_token_needs_a_name_and_a_role_that_may_have_one():
    auditor = member(Role.AUDITOR, LocalAuthorityFactory())
    with pytest.raises(DomainError):
        issue_api_token(membership=auditor.memberships.get(), name="MIS")
    admin = member(Role.LA_ADMIN, LocalAuthorityFactory())
    with pytest.raises(DomainError, match="Enter a name"):
        issue_api_token(membership=admin.memberships.get(), name="  ")
    assert not ApiToken.objects.exists()


def test_provider_staff_make_and_revoke_a_token_on_the_page(client, provider_staff):
    client.force_login(provider_staff)
    response = client.post(reverse("organisations:api-tokens"), {"name": "Registers", "valid_days": "90"})
    body = response.content.decode()
    assert response.status_code == 200 and "Copy it now" in body
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    assert token.digest == ApiToken.digest_of(body.split('<code class="app-token">')[1].split("<")[0])
    assert "Copy it now" not in client.get(reverse("organisations:api-tokens")).content.decode()
    revoke_url = reverse("organisations:revoke-api-token", args=[token.pk])
    assert client.get(revoke_url).status_code == 200
    client.post(revoke_url)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_empty_token_form_shows_an_error_summary(client, provider_staff):
    client.force_login(provider_staff)
    response = client.post(reverse("organisations:api-tokens"), {})
    assert response.status_code == 400
    assert "Enter a name for the token" in response.content.decode()
