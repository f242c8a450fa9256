"""Generated from the URL list: a session signed in with the password alone reaches no page but the second factor's
own and the public ones (decision 0042). Deny by default: a URL added tomorrow is walked here too."""

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from aphub.organisations.two_factor.middleware import OPEN_WITHOUT_SECOND_FACTOR
from tests.two_factor import give_authenticator, sign_in_unverified

from .test_anonymous_access import kwarg_values
from .urls_under_test import all_urls

pytestmark = pytest.mark.django_db

SET_UP = reverse("organisations:two-factor-set-up")
CODE = reverse("organisations:two-factor-code")
GUARDED = [url for url in all_urls() if url.name not in OPEN_WITHOUT_SECOND_FACTOR]


def test_the_walk_covers_the_pages_of_children_and_the_api():
    names = {url.name for url in GUARDED}
    assert {"placements:pupil", "placements:pupils", "organisations:home", "organisations:api-tokens"} <= names
    assert any(url.route.startswith("api/") for url in GUARDED)


@pytest.mark.parametrize("url", GUARDED, ids=lambda url: url.label)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_session_without_its_second_factor_reaches_no_page(client, world, url, method):
    # LA Y's admin, who may open every side Y object the registry makes: only the missing second factor stops them.
    sign_in_unverified(client, world.la_admin_y)
    path = url.path(kwarg_values(url, world))
    response = getattr(client, method)(path)
    if path.startswith("/api/"):
        assert response.status_code == 401, f"{method.upper()} {path} answered {response.status_code}"
        assert "authenticator app" in response.json()["detail"]
        return
    assert response.status_code == 302, f"{method.upper()} {path} answered {response.status_code}"
    assert response["Location"].startswith(SET_UP), response["Location"]


@pytest.mark.parametrize("role", Role.values)
def test_every_role_with_an_authenticator_is_sent_to_the_code_page_from_a_childs_page(client, world, role):
    user = world.actors[role]
    give_authenticator(user)
    sign_in_unverified(client, user)
    for path in (reverse("placements:pupils"), reverse("organisations:home")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{CODE}?next={path.replace('/', '%2F')}"
