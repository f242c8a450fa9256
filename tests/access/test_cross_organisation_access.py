"""Generated from the URL list: signed in on side X, ask for side Y's objects; the answer is 404 or 403, never them.

Side X is LA X's admin, officer and auditor, school A's staff and provider P1's staff. Side Y's objects (LA Y,
school B, provider P2) come from OBJECT_MAKERS in world.py: a page with an object kwarg that has no line there
fails here, so nobody forgets to prove a new page keeps organisations apart.
"""

import pytest

from aphub.organisations.models import Role

from .urls_under_test import all_urls
from .world import LIST_MAKERS, OBJECT_MAKERS, shown_name

pytestmark = pytest.mark.django_db

OBJECT_URLS = [url for url in all_urls() if url.kwargs and not url.is_public]


@pytest.mark.parametrize("url", OBJECT_URLS, ids=lambda url: url.label)
def test_every_page_with_an_object_in_its_url_is_registered(url):
    registered = OBJECT_MAKERS.get(url.name or "", {})
    missing = [kwarg for kwarg in url.kwargs if kwarg not in registered]
    assert not missing, (
        f"{url.label}: add to OBJECT_MAKERS in tests/access/world.py how to make a {missing} owned by another "
        "organisation, so the cross-organisation test covers this page."
    )


@pytest.mark.parametrize("url", OBJECT_URLS, ids=lambda url: url.label)
@pytest.mark.parametrize("role", Role.values)
def test_another_organisations_objects_are_never_shown(client, world, url, role):
    registered = OBJECT_MAKERS.get(url.name or "", {})
    if any(kwarg not in registered for kwarg in url.kwargs):
        pytest.fail(f"{url.label} is not registered in OBJECT_MAKERS")
    objects = {kwarg: world.objects_of(registered[kwarg]) for kwarg in url.kwargs}
    rounds = max(len(made) for made in objects.values())
    assert rounds, f"OBJECT_MAKERS made no objects for {url.label}"
    client.force_login(world.actors[role])
    for index in range(rounds):
        chosen = {kwarg: made[min(index, len(made) - 1)] for kwarg, made in objects.items()}
        path = url.path({kwarg: obj.pk for kwarg, obj in chosen.items()})
        for method in ("get", "post"):
            # The JSON API reads a JSON body (an empty one) before its view; a page reads a form.
            body = ("{}", "application/json") if method == "post" and path.startswith("/api/") else ()
            response = getattr(client, method)(path, *body)
            assert response.status_code in (403, 404, 405), (
                f"{role} {method.upper()} {path} answered {response.status_code} for another organisation's object"
            )
            body = response.content.decode(errors="replace")
            for obj in chosen.values():
                assert shown_name(obj) not in body, f"{role} {method.upper()} {path} shows {shown_name(obj)!r}"


LIST_URLS = [url for url in all_urls() if url.name in LIST_MAKERS]


def test_every_list_registered_is_a_page():
    assert {url.name for url in LIST_URLS} == set(LIST_MAKERS)


@pytest.mark.parametrize("url", LIST_URLS, ids=lambda url: url.label)
@pytest.mark.parametrize("role", Role.values)
def test_another_organisations_children_are_never_listed(client, world, url, role):
    """Side X opens a list of the LA's children (each role its page admits; the others are refused) and never finds
    side Y's there, nor in the list's files."""
    made = world.objects_of(LIST_MAKERS[url.name])
    client.force_login(world.actors[role])
    for params in ({}, {"format": "csv"}):
        response = client.get(url.path({}), params)
        if role not in url.roles:
            assert response.status_code == 403, f"{role} GET {url.label} answered {response.status_code}"
            continue
        assert response.status_code == 200, f"{role} GET {url.label} answered {response.status_code}"
        body = response.content.decode(errors="replace")
        for obj in made:
            for shown in (shown_name(obj), obj.provision.provider.legal_name):
                assert shown not in body, f"{role} GET {url.label} {params} shows {shown!r}"


def test_side_y_sees_its_own_children_listed(client, world):
    """The control: the list test above would pass on an empty page, so side Y's officer finds its own child."""
    (placement,) = world.objects_of(LIST_MAKERS["insight:children"])
    client.force_login(world.la_officer_y)
    response = client.get("/insight/children/")
    assert placement.pupil.full_name in response.content.decode()
