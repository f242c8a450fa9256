import datetime

import pytest
import time_machine

from aphub.organisations.models import Role
from aphub.placements.models import Referral
from aphub.placements.referrals import services
from tests.factories import (
    EnrolmentFactory,
    EpisodeFactory,
    LocalAuthorityFactory,
    ProviderFactory,
    PupilFactory,
    SchoolFactory,
    member,
)

TODAY = datetime.date(2026, 11, 16)

COMPLETE = {
    "needs_summary": "Struggles in large classes; SEMH needs identified by the educational psychologist.",
    "tried_so_far": "Mentoring, a reduced timetable and a pastoral support plan.",
    "child_views": "I want to learn somewhere smaller.",
    "parent_views": "We want a fresh start close to home.",
    "consent_given": True,
    "consent_by": "Jo Hartley, mother",
}


@pytest.fixture(autouse=True)
def _frozen_today():
    # Noon UTC on a school day: "today" is the same date in Europe/London.
    with time_machine.travel(datetime.datetime(2026, 11, 16, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def la(db):
    return LocalAuthorityFactory(name="Elmbridge Vale Council")


@pytest.fixture
def school(la):
    return SchoolFactory(name="Ashgrove Academy", local_authority=la)


@pytest.fixture
def other_school(la):
    return SchoolFactory(name="Birchwood High School", local_authority=la)


@pytest.fixture
def pupil(school):
    pupil = PupilFactory(
        local_authority=school.local_authority,
        first_name="Robin",
        last_name="Hartley",
        date_of_birth=datetime.date(2013, 3, 14),  # 13 on 16 November 2026: key stage 3
        postcode="B91 3SX",  # in the shipped demo postcodes, so it geocodes offline
    )
    EnrolmentFactory(pupil=pupil, school=school)
    return pupil


@pytest.fixture
def episode(pupil, school):
    return EpisodeFactory(pupil=pupil, school=school, start_date=datetime.date(2026, 11, 3))


@pytest.fixture
def school_staff(school):
    return member(Role.SCHOOL_STAFF, school)


@pytest.fixture
def other_school_staff(other_school):
    return member(Role.SCHOOL_STAFF, other_school)


@pytest.fixture
def officer(la):
    return member(Role.LA_OFFICER, la)


@pytest.fixture
def la_admin(la):
    return member(Role.LA_ADMIN, la)


@pytest.fixture
def auditor(la):
    return member(Role.AUDITOR, la)


@pytest.fixture
def provider(la):
    return ProviderFactory(local_authority=la, legal_name="Bright Futures Learning Ltd")


@pytest.fixture
def provider_staff(provider):
    return member(Role.PROVIDER_STAFF, provider)


@pytest.fixture
def draft(school_staff, pupil, episode) -> Referral:
    return services.create_referral(user=school_staff, pupil=pupil, episode=episode, requested_tier="2", **COMPLETE)


@pytest.fixture
def submitted(school_staff, draft) -> Referral:
    return services.submit_referral(user=school_staff, referral=draft)


def make_submitted(school_staff, school, *, first_name="Sam", tier="2", needs=(), **extra) -> Referral:
    """Another pupil of the school, referred and submitted."""
    pupil = PupilFactory(local_authority=school.local_authority, first_name=first_name)
    EnrolmentFactory(pupil=pupil, school=school)
    episode = EpisodeFactory(pupil=pupil, school=school)
    values = {**COMPLETE, **extra}
    referral = services.create_referral(
        user=school_staff, pupil=pupil, episode=episode, requested_tier=tier, needs=needs, **values
    )
    return services.submit_referral(user=school_staff, referral=referral)
