"""Generated from the URL list: without signing in, only the public allow-list answers with a page."""

import pytest
from django.urls import NoReverseMatch, reverse

from .urls_under_test import PUBLIC_URL_NAMES, UrlUnderTest, all_urls, plausible_value
from .world import OBJECT_MAKERS, World

pytestmark = pytest.mark.django_db

URLS = all_urls()
PRIVATE = [url for url in URLS if not url.is_public]
PUBLIC_WITHOUT_KWARGS = [url for url in URLS if url.is_public and not url.kwargs]


def kwarg_values(url: UrlUnderTest, world: World) -> dict[str, object]:
    """Real objects where the registry knows how to make one (so a 404 proves nothing), else plausible values."""
    values: dict[str, object] = {}
    for kwarg, converter in url.kwargs.items():
        maker = OBJECT_MAKERS.get(url.name or "", {}).get(kwarg)
        values[kwarg] = world.objects_of(maker)[0].pk if maker else plausible_value(converter)
    return values


def test_the_url_list_is_walked_including_the_api():
    routes = {url.route for url in URLS}
    assert "sign-in/" in routes
    assert any(route.startswith("api/") for route in routes)
    assert len(PRIVATE) >= 3


def test_every_name_on_the_public_allow_list_exists():
    names = {url.name for url in URLS}
    assert sorted(PUBLIC_URL_NAMES - names) == []


@pytest.mark.parametrize("url", PRIVATE, ids=lambda url: url.label)
@pytest.mark.parametrize("method", ["get", "post"])
def test_pages_outside_the_allow_list_are_not_reachable_without_sign_in(client, world, url, method):
    path = url.path(kwarg_values(url, world))
    response = getattr(client, method)(path)
    assert response.status_code in (302, 401, 403, 404, 405), f"{method.upper()} {path} answered {response.status_code}"
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("organisations:sign-in")), response["Location"]


@pytest.mark.parametrize("url", PUBLIC_WITHOUT_KWARGS, ids=lambda url: url.label)
def test_public_pages_open_without_sign_in(client, db, url):
    response = client.get(url.path({}))
    # Sign-out is public but only answers POST.
    assert response.status_code in (200, 405), f"GET {url.route} answered {response.status_code}"


def test_sign_in_redirect_brings_the_user_back_to_the_page(client, db):
    try:
        path = reverse("organisations:home")
    except NoReverseMatch:  # pragma: no cover
        pytest.skip("no home page")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('organisations:sign-in')}?next={path}"
