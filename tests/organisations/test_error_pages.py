import pytest
from django.test import Client
from django.urls import reverse

from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def errors_site(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.organisations.errors_urlconf"
    return Client(raise_request_exception=False)


def test_a_failing_page_shows_the_govuk_500_page_without_a_traceback(errors_site):
    response = errors_site.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "Traceback" not in body and "secret-internal-detail" not in body and "RuntimeError" not in body


def test_a_bad_request_shows_the_govuk_400_page(errors_site):
    response = errors_site.get("/suspicious/")
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


def test_a_missing_page_shows_the_govuk_404_page(errors_site):
    response = errors_site.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "govuk-service-navigation" in body


def test_a_form_sent_without_its_csrf_token_gets_the_govuk_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("organisations:sign-in"), {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sorry, we could not send your form" in body
    assert "CSRF" not in body


def test_the_empty_sign_in_form_shows_an_error_summary_linking_to_each_field(client):
    response = client.post(reverse("organisations:sign-in"), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in body
    assert "govuk-error-summary" in body
    assert '<a href="#id_username">Enter your email address</a>' in body
    assert '<a href="#id_password">Enter your password</a>' in body


def test_the_header_names_the_la_and_offers_an_accessible_sign_out(client):
    la = LocalAuthorityFactory(name="Elmbridge Vale Council")
    client.force_login(member(Role.LA_OFFICER, la))
    body = client.get(reverse("organisations:home")).content.decode()
    assert '<span class="app-header__organisation">Elmbridge Vale Council</span>' in body
    assert f'action="{reverse("organisations:sign-out")}"' in body
    assert '<button type="submit" class="app-header__sign-out">Sign out</button>' in body
    assert "govuk-logo" not in body and "crown" not in body.lower()


def test_signing_out_is_a_post_and_ends_the_session(client):
    client.force_login(member(Role.LA_OFFICER, LocalAuthorityFactory()))
    assert client.get(reverse("organisations:sign-out")).status_code == 405
    assert client.get(reverse("organisations:home")).status_code == 200
    client.post(reverse("organisations:sign-out"))
    assert client.get(reverse("organisations:home")).status_code == 302


@pytest.mark.parametrize(
    ("role", "sentence"),
    [
        (Role.LA_ADMIN, "approve providers"),
        (Role.LA_OFFICER, "oversee alternative provision"),
        (Role.AUDITOR, "read-only oversight"),
        (Role.PROVIDER_STAFF, "write and update your provisions"),
    ],
)
def test_each_role_has_a_home_page_saying_what_it_can_do(client, role, sentence):
    from tests.factories import ProviderFactory

    organisation = ProviderFactory() if role == Role.PROVIDER_STAFF else LocalAuthorityFactory()
    client.force_login(member(role, organisation))
    assert sentence in client.get(reverse("organisations:home")).content.decode()


def test_school_staff_home_page(client):
    from tests.factories import SchoolFactory

    client.force_login(member(Role.SCHOOL_STAFF, SchoolFactory(name="Kingsmead School")))
    assert "pupils at Kingsmead School" in client.get(reverse("organisations:home")).content.decode()


def test_a_user_without_a_role_is_told_what_to_do(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("organisations:home"))
    assert response.status_code == 403
    assert "You do not have a role yet" in response.content.decode()
