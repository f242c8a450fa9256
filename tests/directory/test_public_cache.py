"""The public search page is served from a short-lived cache for visitors without cookies, and is fresh again as
soon as something the public sees changes: an approval, an archive, a place taken or freed."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from aphub.directory import services
from aphub.organisations.models import Role
from tests.factories import ProvisionFactory, member

SEARCH = {"words": "Harbour"}


@pytest.fixture(autouse=True)
def locmem_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
    cache.clear()
    yield
    cache.clear()


def found(client, **cookies) -> str:
    for name, value in cookies.items():
        client.cookies[name] = value
    return client.get(reverse("directory:search"), SEARCH).content.decode()


def test_a_second_identical_search_is_served_without_touching_the_database(client, db, django_assert_num_queries):
    ProvisionFactory(name="Harbour Light Centre")
    assert "Harbour Light Centre" in found(client)
    with django_assert_num_queries(0):
        assert "Harbour Light Centre" in found(client)


def test_an_approval_makes_the_next_search_fresh(client, db, django_capture_on_commit_callbacks):
    provision = ProvisionFactory(name="Harbour View Tuition", status="submitted")
    assert "Harbour View Tuition" not in found(client)
    officer = member(Role.LA_OFFICER, provision.local_authority)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_provision(user=officer, provision=provision)
    assert "Harbour View Tuition" in found(client)


def test_taking_the_last_place_updates_the_vacancies_the_public_sees(client, db, django_capture_on_commit_callbacks):
    from tests.factories import EnrolmentFactory, PupilFactory

    provision = ProvisionFactory(name="Harbour Street Centre", places=1)
    la = provision.local_authority
    from aphub.duties.services import default_term_dates, load_term_dates
    from aphub.placements import services as placements

    load_term_dates(local_authority=la, **default_term_dates())
    client.get(reverse("directory:search"), {**SEARCH, "with_vacancies": "on"})
    before = client.get(reverse("directory:search"), {**SEARCH, "with_vacancies": "on"}).content.decode()
    assert "Harbour Street Centre" in before
    officer = member(Role.LA_OFFICER, la)
    pupil = PupilFactory(local_authority=la)
    EnrolmentFactory(pupil=pupil)
    episode = placements.record_episode(
        user=officer, pupil=pupil, kind="permanent-exclusion", start_date=datetime.date(2026, 11, 3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        placements.offer_placement(
            user=officer, episode=episode, provision=provision, start_date=datetime.date(2026, 11, 10), tier="2",
            sessions_per_week=10, hours_per_week="25", annual_cost="18000",
            over_limit_reason="The factory's provider is unregistered; the panel agreed",
        )  # fmt: skip
    after = client.get(reverse("directory:search"), {**SEARCH, "with_vacancies": "on"}).content.decode()
    assert "Harbour Street Centre" not in after


def test_someone_with_a_session_is_never_served_a_cached_page(client, db):
    ProvisionFactory(name="Harbour Light Centre")
    found(client)
    user = member(Role.PROVIDER_STAFF, ProvisionFactory().provider)
    client.force_login(user)
    page = client.get(reverse("directory:search"), SEARCH).content.decode()
    assert "Sign out" in page
