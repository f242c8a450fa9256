import datetime

import pytest
import time_machine

from aphub.organisations.models import Role
from tests.factories import (
    EnrolmentFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    SchoolFactory,
    member,
)

# Placements start on 10 November 2026 (PlacementFactory); the tests live a few weeks later.
TODAY = datetime.date(2027, 1, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2027, 1, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def la(db):
    return LocalAuthorityFactory(name="Elmbridge Vale Council")


@pytest.fixture
def school(la):
    return SchoolFactory(name="Kingsmead School", local_authority=la)


@pytest.fixture
def provider(la):
    return ProviderFactory(local_authority=la, legal_name="Greenway Learning Ltd")


@pytest.fixture
def provision(provider, la):
    return ProvisionFactory(provider=provider, local_authority=la, name="Greenway Centre")


@pytest.fixture
def placement(la, school, provision):
    """An active LA-commissioned placement of a Kingsmead pupil at Greenway Centre."""
    made = PlacementFactory(pupil__local_authority=la, provision=provision)
    EnrolmentFactory(pupil=made.pupil, school=school)
    return made


@pytest.fixture
def school_placement(la, school, provision):
    """An active placement Kingsmead commissioned itself."""
    made = PlacementFactory(
        pupil__local_authority=la, provision=provision, commissioner="school", commissioning_school=school
    )
    EnrolmentFactory(pupil=made.pupil, school=school)
    return made


@pytest.fixture
def provider_staff(provider):
    return member(Role.PROVIDER_STAFF, provider)


@pytest.fixture
def officer(la):
    return member(Role.LA_OFFICER, la)


@pytest.fixture
def auditor(la):
    return member(Role.AUDITOR, la)


@pytest.fixture
def school_staff(school):
    return member(Role.SCHOOL_STAFF, school)
