"""Threads race on PostgreSQL: for the last place (the provision's row lock lets exactly one win), and for one child's
full-time place at several provisions at once (the pupil's row lock lets exactly one offer through).

The control removes the lock and holds every thread between counting and writing: then the provision is
double-booked, which shows the race is real and that the first test would catch a missing lock.

Marked `postgres`: tests/conftest.py skips these on SQLite and fails them, never skips, when DATABASE_URL names
PostgreSQL.
"""

import datetime
import threading
from functools import partial

import pytest

from aphub.core.errors import DomainError
from aphub.directory.models import Provision
from aphub.duties.services import default_term_dates, load_term_dates
from aphub.organisations.models import Role
from aphub.placements import services
from aphub.placements.models import Placement
from tests.factories import EnrolmentFactory, LocalAuthorityFactory, ProvisionFactory, PupilFactory, member
from tests.race import run_together

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback like every transactional test here: a plain flush would re-create content types that the
    # next serialized test then restores a second time.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
RACERS = 6
# Registered schools: at an unregistered provider these offers would go past the LA's limits and need a reason.
REGISTERED = "registered-school"
D = datetime.date


@pytest.fixture
def race():
    la = LocalAuthorityFactory()
    load_term_dates(local_authority=la, **default_term_dates())
    officer = member(Role.LA_OFFICER, la)
    provision = ProvisionFactory(
        provider__local_authority=la, provider__registration_status=REGISTERED, local_authority=la, places=1
    )
    episodes = []
    for _ in range(RACERS):
        pupil = PupilFactory(local_authority=la)
        EnrolmentFactory(pupil=pupil)
        episodes.append(
            services.record_episode(user=officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 2))
        )
    return officer, provision, episodes


def full_time_offer(officer, episode, provision):
    """One officer's full-time tier 2 offer, ready to be started in a racing thread."""
    return partial(
        services.offer_placement,
        user=officer,
        episode=episode,
        provision=provision,
        start_date=D(2026, 11, 10),
        tier="2",
        sessions_per_week=10,
        hours_per_week="25",
        annual_cost="18000",
    )


def run_race(officer, provision, episodes) -> list[str]:
    offers = [full_time_offer(officer, episode, provision) for episode in episodes]
    return run_together(offers, is_refusal=lambda error: isinstance(error, services.ProvisionFull))


def test_last_place_cannot_be_taken_twice_by_racing_offers(race):
    officer, provision, episodes = race
    outcomes = run_race(officer, provision, episodes)
    assert sorted(outcomes) == ["done"] + ["refused"] * (RACERS - 1)
    assert Placement.objects.filter(provision=provision, status="offered").count() == 1


def test_control_without_the_lock_the_race_double_books(race, monkeypatch):
    officer, provision, episodes = race
    counted = threading.Barrier(RACERS)
    original = services._places_taken

    def count_then_wait(*args, **kwargs):
        taken = original(*args, **kwargs)
        counted.wait(timeout=10)  # everyone has counted 0 before anyone writes
        return taken

    monkeypatch.setattr(services, "_lock_provision", lambda pk: Provision.objects.get(pk=pk))
    monkeypatch.setattr(services, "_places_taken", count_then_wait)
    run_race(officer, provision, episodes)
    assert Placement.objects.filter(provision=provision, status="offered").count() > 1


def test_one_child_gets_one_full_time_place_when_offers_at_several_provisions_race():
    """Several officers offer the same child a full-time place at different provisions at the same moment."""
    la = LocalAuthorityFactory()
    load_term_dates(local_authority=la, **default_term_dates())
    officers = [member(Role.LA_OFFICER, la) for _ in range(RACERS)]
    pupil = PupilFactory(local_authority=la)
    EnrolmentFactory(pupil=pupil)
    episode = services.record_episode(
        user=officers[0], pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 2)
    )
    provisions = [
        ProvisionFactory(provider__local_authority=la, provider__registration_status=REGISTERED, local_authority=la)
        for _ in range(RACERS)
    ]
    offers = [
        full_time_offer(officer, episode, provision) for officer, provision in zip(officers, provisions, strict=True)
    ]
    outcomes = run_together(
        offers,
        is_refusal=lambda error: (
            isinstance(error, DomainError) and "already has a full-time placement" in error.message
        ),
    )
    assert sorted(outcomes) == ["done"] + ["refused"] * (RACERS - 1)
    assert Placement.objects.filter(pupil=pupil, is_full_time=True, status="offered").count() == 1
