import pytest
from django.urls import reverse

from aphub.audit.models import SecurityEvent
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member
from tests.two_factor import sign_in_with_code

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("organisations:sign-in"), {"username": email, "password": password})


def test_sign_in_and_sign_out_are_logged_with_the_account_and_ip(client):
    user = member(Role.LA_OFFICER, LocalAuthorityFactory())
    sign_in_with_code(client, user)
    client.post(reverse("organisations:sign-out"))
    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", "user_id", "ip_address"))
    assert kinds == [
        ("signed-in", user.pk, "127.0.0.1"),
        ("2fa-verified", user.pk, "127.0.0.1"),
        ("signed-out", user.pk, "127.0.0.1"),
    ]


def test_a_failed_sign_in_names_the_account_but_never_the_password(client):
    user = member(Role.LA_OFFICER, LocalAuthorityFactory())
    sign_in(client, user.email, "my-secret-guess")
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user_id, event.user_email) == ("sign-in-failed", user.pk, user.email)
    assert "my-secret-guess" not in str(event.__dict__)


def test_what_was_typed_for_an_unknown_account_is_not_kept(client, db):
    sign_in(client, "hunter2.nobody@example.org", "whatever")
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user_id, event.user_email) == ("sign-in-failed", None, "")
    assert "hunter2" not in str(event.__dict__)
