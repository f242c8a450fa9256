"""django-axes locks out one account from one address, never everyone behind the same address."""

import pytest
from django.conf import settings
from django.urls import reverse

from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member

pytestmark = pytest.mark.django_db

URL = reverse("organisations:sign-in")


def sign_in(client, user, password, ip="10.0.0.7"):
    return client.post(URL, {"username": user.email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def office():
    la = LocalAuthorityFactory()
    return member(Role.LA_OFFICER, la), member(Role.LA_OFFICER, la)


def test_repeated_failures_pause_sign_in_for_that_account_with_the_govuk_page(client, office):
    typo_prone, _ = office
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, typo_prone, "wrong password")
    response = sign_in(client, typo_prone, "correct-horse-battery")
    assert response.status_code in (403, 429)
    body = response.content.decode()
    assert "Sign in is paused" in body
    assert client.get(reverse("organisations:home")).status_code == 302  # not signed in


def test_a_colleague_behind_the_same_address_can_still_sign_in(client, office):
    typo_prone, colleague = office
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        sign_in(client, typo_prone, "wrong password")
    response = sign_in(client, colleague, "correct-horse-battery")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:home")


def test_the_same_account_from_another_address_is_not_locked(client, office):
    typo_prone, _ = office
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, typo_prone, "wrong password", ip="10.0.0.7")
    assert sign_in(client, typo_prone, "correct-horse-battery", ip="10.0.0.8").status_code == 302


def test_failures_below_the_limit_do_not_lock(client, office):
    typo_prone, _ = office
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, typo_prone, "wrong password")
    assert sign_in(client, typo_prone, "correct-horse-battery").status_code == 302
