"""One LA (Elmford) with a DPS of two lots, an admitted unregistered provider (Greenway) and a school; a second LA
(Yarrowdale) and its school place children at Greenway too. Time frozen on Monday 23 November 2026.
"""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.base import ContentFile

from aphub.commissioning.models import Admission, Application, CommercialArrangement, Evidence, Lot
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

TODAY = datetime.date(2026, 11, 23)  # a Monday


@dataclass
class QA:
    la: LocalAuthority
    other_la: LocalAuthority
    school: School
    other_school: School
    provider: Provider  # unregistered, admitted to lot 1 of Elmford's DPS
    provision: Provision
    arrangement: CommercialArrangement
    lot: Lot
    admission: Admission
    officer: User
    second_officer: User
    admin: User
    auditor: User
    school_staff: User
    provider_staff: User
    other_officer: User
    other_school_staff: User

    def place(
        self, *, la=None, school=None, provision=None, hours="25.0", status="active", **pupil_fields
    ) -> Placement:
        """A child of `la` (Elmford by default) placed at Greenway; by `school` when given, else by the LA."""
        la = la or self.la
        pupil = PupilFactory(local_authority=la, **pupil_fields)
        EnrolmentFactory(pupil=pupil, school=school or (self.school if la == self.la else self.other_school))
        commissioner = {"commissioner": "school", "commissioning_school": school} if school else {}
        return PlacementFactory(
            pupil=pupil,
            provision=provision or self.provision,
            hours_per_week=hours,
            status=status,
            start_date=datetime.date(2026, 11, 2),
            **commissioner,
        )


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC), tick=False):
        yield TODAY


def make_arrangement(
    la: LocalAuthority, *, lots: int = 2, kind: str = "dps", reference: str = ""
) -> CommercialArrangement:
    arrangement = CommercialArrangement.objects.create(
        owner=la,
        kind=kind,
        reference=reference or f"{la.la_code}-ap-{CommercialArrangement.objects.count()}",
        title=f"{la.name} AP purchasing system",
        status="open",
        starts_on=datetime.date(2025, 9, 1),
        published_at=datetime.datetime(2025, 8, 1, 9, tzinfo=datetime.UTC),
    )
    titles = ["Face to face full time", "Part time and vocational", "Therapeutic", "Online"]
    for number in range(1, lots + 1):
        Lot.objects.create(
            arrangement=arrangement,
            number=number,
            title=titles[number - 1],
            criteria=["registration", "safeguarding-lead", "insurance-public-liability"],
        )
    return arrangement


def admit(provider: Provider, lot: Lot, status: str = "admitted") -> Admission:
    application, _ = Application.objects.get_or_create(
        provider=provider, arrangement=lot.arrangement, defaults={"status": "admitted"}
    )
    return Admission.objects.create(
        provider=provider, lot=lot, application=application, admitted_on=datetime.date(2026, 1, 5), status=status
    )


def add_evidence(provider: Provider, criterion: str, expires_on=None, *, scan="clean", title="") -> Evidence:
    evidence = Evidence(
        provider=provider,
        criterion=criterion,
        title=title or f"{criterion} document",
        content_type="application/pdf",
        size=9,
        expires_on=expires_on,
        scan_status=scan,
    )
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return evidence


@pytest.fixture
def qa(db, frozen_today) -> QA:
    la = LocalAuthorityFactory(name="Elmford Borough Council")
    other_la = LocalAuthorityFactory(name="Yarrowdale City Council")
    school = SchoolFactory(name="Ashgrove Academy", local_authority=la)
    other_school = SchoolFactory(name="Birchwood High School", local_authority=other_la)
    provider = ProviderFactory(legal_name="Greenway Learning CIC", local_authority=la)
    provision = ProvisionFactory(provider=provider, local_authority=la, name="Greenway Farm Centre")
    arrangement = make_arrangement(la)
    lot = arrangement.lots.get(number=1)
    return QA(
        la=la,
        other_la=other_la,
        school=school,
        other_school=other_school,
        provider=provider,
        provision=provision,
        arrangement=arrangement,
        lot=lot,
        admission=admit(provider, lot),
        officer=member(Role.LA_OFFICER, la),
        second_officer=member(Role.LA_OFFICER, la),
        admin=member(Role.LA_ADMIN, la),
        auditor=member(Role.AUDITOR, la),
        school_staff=member(Role.SCHOOL_STAFF, school),
        provider_staff=member(Role.PROVIDER_STAFF, provider),
        other_officer=member(Role.LA_OFFICER, other_la),
        other_school_staff=member(Role.SCHOOL_STAFF, other_school),
    )
