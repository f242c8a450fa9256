"""One LA with term dates, two schools, two providers and their staff; time frozen on Tuesday 10 November 2026."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from aphub.duties.services import default_term_dates, load_term_dates
from aphub.organisations.models import LocalAuthority, Provider, Role, School, User
from aphub.placements.services import ensure_routes
from tests.factories import (
    EnrolmentFactory,
    LocalAuthorityFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    SchoolFactory,
    member,
)

TODAY = datetime.date(2026, 11, 10)


@dataclass
class Town:
    la: LocalAuthority
    school_a: School
    school_b: School
    provider_p1: Provider
    provider_p2: Provider
    officer: User
    admin: User
    auditor: User
    school_a_staff: User
    school_b_staff: User
    p1_staff: User
    p2_staff: User

    def pupil(self, school: School | None = None, **fields):
        pupil = PupilFactory(local_authority=self.la, **fields)
        EnrolmentFactory(pupil=pupil, school=school or self.school_a)
        return pupil

    def provision(self, provider: Provider | None = None, places: int = 10, **fields):
        return ProvisionFactory(provider=provider or self.provider_p1, local_authority=self.la, places=places, **fields)


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def town(db, frozen_today) -> Town:
    la = LocalAuthorityFactory(name="Elmford Borough Council")
    load_term_dates(local_authority=la, **default_term_dates())
    ensure_routes(local_authority=la)
    school_a = SchoolFactory(name="Ashgrove Academy", local_authority=la)
    school_b = SchoolFactory(name="Birchwood High School", local_authority=la)
    # Registered schools: offers at an unregistered provider past the LA's limits need a reason (tests of that make
    # a provider unregistered themselves).
    registered = Provider.RegistrationStatus.REGISTERED_SCHOOL
    p1 = ProviderFactory(legal_name="Pathways One Learning Ltd", local_authority=la, registration_status=registered)
    p2 = ProviderFactory(legal_name="Second Chance Tuition Ltd", local_authority=la, registration_status=registered)
    return Town(
        la=la,
        school_a=school_a,
        school_b=school_b,
        provider_p1=p1,
        provider_p2=p2,
        officer=member(Role.LA_OFFICER, la),
        admin=member(Role.LA_ADMIN, la),
        auditor=member(Role.AUDITOR, la),
        school_a_staff=member(Role.SCHOOL_STAFF, school_a),
        school_b_staff=member(Role.SCHOOL_STAFF, school_b),
        p1_staff=member(Role.PROVIDER_STAFF, p1),
        p2_staff=member(Role.PROVIDER_STAFF, p2),
    )
