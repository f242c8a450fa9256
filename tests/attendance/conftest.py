"""One LA with a home school, a commissioning school and two providers; time frozen on Tuesday 10 November 2026.

Robin is on Ashgrove Academy's roll and placed by the LA at provider P1's Horizons Centre from Monday 2 November.
Sam is placed by Birchwood High School at the same centre. Yusuf is placed at provider P2's centre.
"""

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from aphub.directory.models import Provision
from aphub.organisations.models import LocalAuthority, Provider, Role, School, User
from aphub.placements.models import Placement
from tests.factories import (
    EnrolmentFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    SchoolFactory,
    member,
)

TODAY = datetime.date(2026, 11, 10)  # a Tuesday
MONDAY = datetime.date(2026, 11, 9)
SATURDAY = datetime.date(2026, 11, 7)
START = datetime.date(2026, 11, 2)


@dataclass
class Area:
    la: LocalAuthority
    home_school: School
    commissioning_school: School
    provider_p1: Provider
    provider_p2: Provider
    horizons: Provision
    yarrow: Provision
    robin: Placement  # LA commissions; on the home school's roll
    sam: Placement  # the commissioning school commissions
    yusuf: Placement  # at provider P2
    officer: User
    home_school_staff: User
    commissioning_school_staff: User
    p1_staff: User
    p2_staff: User


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 30, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def area(db, frozen_today) -> Area:
    la = LocalAuthorityFactory(name="Elmford Borough Council")
    home_school = SchoolFactory(name="Ashgrove Academy", local_authority=la)
    commissioning_school = SchoolFactory(name="Birchwood High School", local_authority=la)
    p1 = ProviderFactory(legal_name="Pathways One Learning Ltd", local_authority=la)
    p2 = ProviderFactory(legal_name="Second Chance Tuition Ltd", local_authority=la)
    horizons = ProvisionFactory(provider=p1, local_authority=la, name="Horizons Centre")
    yarrow = ProvisionFactory(provider=p2, local_authority=la, name="Yarrow Bridge Centre")

    def placed(first, last, school, provision, **fields):
        pupil = PupilFactory(local_authority=la, first_name=first, last_name=last)
        EnrolmentFactory(pupil=pupil, school=school)
        return PlacementFactory(pupil=pupil, provision=provision, start_date=START, **fields)

    return Area(
        la=la,
        home_school=home_school,
        commissioning_school=commissioning_school,
        provider_p1=p1,
        provider_p2=p2,
        horizons=horizons,
        yarrow=yarrow,
        robin=placed("Robin", "Hartley", home_school, horizons),
        sam=placed(
            "Sam",
            "Okafor",
            commissioning_school,
            horizons,
            commissioner="school",
            commissioning_school=commissioning_school,
        ),
        yusuf=placed("Yusuf", "Yewdale", commissioning_school, yarrow),
        officer=member(Role.LA_OFFICER, la),
        home_school_staff=member(Role.SCHOOL_STAFF, home_school),
        commissioning_school_staff=member(Role.SCHOOL_STAFF, commissioning_school),
        p1_staff=member(Role.PROVIDER_STAFF, p1),
        p2_staff=member(Role.PROVIDER_STAFF, p2),
    )
