import datetime

import pytest
import time_machine

from aphub.organisations.models import Provider, Role
from tests.factories import LocalAuthorityFactory, ProviderFactory, member

from .makers import make_arrangement

TODAY = datetime.date(2026, 11, 16)
NEXT_YEAR = datetime.date(2027, 11, 1)


@pytest.fixture(autouse=True)
def _frozen_today():
    # Noon UTC: "today" is the same date in Europe/London.
    with time_machine.travel(datetime.datetime(2026, 11, 16, 12, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def la(db):
    return LocalAuthorityFactory(name="Elmbridge Vale Council")


@pytest.fixture
def other_la(db):
    return LocalAuthorityFactory(name="Ashcombe Council")


@pytest.fixture
def provider(la):
    return ProviderFactory(
        legal_name="Greenway Farm Learning CIC",
        registration_status=Provider.RegistrationStatus.UNREGISTERED,
        local_authority=la,
    )


@pytest.fixture
def other_provider(la):
    return ProviderFactory(legal_name="Second Chance Tuition Ltd", local_authority=la)


@pytest.fixture
def staff(provider):
    return member(Role.PROVIDER_STAFF, provider)


@pytest.fixture
def other_staff(other_provider):
    return member(Role.PROVIDER_STAFF, other_provider)


@pytest.fixture
def officer(la):
    return member(Role.LA_OFFICER, la)


@pytest.fixture
def arrangement(la):
    return make_arrangement(la)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
