import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member
from tests.two_factor import sign_in_with_code

pytestmark = pytest.mark.django_db


def test_officer_signs_in_with_email_and_sees_their_la_in_the_header(client):
    la = LocalAuthorityFactory(name="Elmbridge Vale Council")
    sign_in_with_code(client, member(Role.LA_OFFICER, la))
    home = client.get(reverse("organisations:home"))
    assert "Elmbridge Vale Council" in home.content.decode()


def test_wrong_password_shows_an_error_and_signs_nobody_in(client):
    la = LocalAuthorityFactory()
    user = member(Role.LA_OFFICER, la)
    response = client.post(reverse("organisations:sign-in"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert client.get(reverse("organisations:home")).status_code == 302
