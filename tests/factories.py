"""factory_boy factories shared by every app's tests. Fictional people and places only."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from aphub.directory.models import CostOption, Provision, Term
from aphub.organisations.models import LocalAuthority, Membership, Provider, Role, School, User


def _free_la_code(n: int) -> str:
    """The next three-digit LA code from 800 that no council in the database holds yet. A code is asked for by tests
    to find a council again (get_or_create), so a made-up one must never land on one a test fixed (e.g. "990"): a
    plain sequence that wrapped round did, and a test's new council silently became the fixture's own."""
    for step in range(199):
        code = f"{800 + (n + step) % 199:03d}"
        if not LocalAuthority.objects.filter(la_code=code).exists():
            return code
    raise RuntimeError("Every LA code from 800 to 998 is taken in this test database.")


class LocalAuthorityFactory(DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("la_code",)

    name = factory.Sequence(lambda n: f"Borough {n}")
    la_code = factory.Sequence(_free_la_code)
    gss_code = factory.Sequence(lambda n: f"E0{6 + n % 3}{n:06d}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{100000 + n}")
    name = factory.Sequence(lambda n: f"Oakfield Academy {n}")
    phase = School.Phase.SECONDARY
    establishment_type = "Academy converter"
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    postcode = "B91 3QB"


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider

    legal_name = factory.Sequence(lambda n: f"Bright Futures Learning {n} Ltd")
    registration_status = Provider.RegistrationStatus.UNREGISTERED
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Alex Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.LA_OFFICER
    local_authority = factory.SubFactory(LocalAuthorityFactory)


def member(role: str, organisation) -> User:
    """A new user with one membership of `role` in `organisation`."""
    field = {
        Role.LA_ADMIN: "local_authority",
        Role.LA_OFFICER: "local_authority",
        Role.AUDITOR: "local_authority",
        Role.FINANCE_OFFICER: "local_authority",
        Role.SCHOOL_STAFF: "school",
        Role.PROVIDER_STAFF: "provider",
    }[role]
    user = UserFactory()
    Membership.objects.create(user=user, role=role, **{field: organisation})
    return user


class ProvisionFactory(DjangoModelFactory):
    class Meta:
        model = Provision
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    local_authority = factory.SelfAttribute("provider.local_authority")
    status = Provision.Status.PUBLISHED
    name = factory.Sequence(lambda n: f"Horizons Centre {n}")
    summary = "Small-group teaching for pupils at risk of exclusion"
    age_min = 11
    age_max = 16
    attendance_pattern = Provision.AttendancePattern.FULL_TIME
    places = 10
    postcode = "B91 3QB"
    latitude = 52.4130
    longitude = -1.7780

    @factory.post_generation
    def term_codes(obj, create, extracted, **kwargs):
        """ProvisionFactory(term_codes=["tier-2", "ks3", "semh"])"""
        if create and extracted:
            obj.terms.set(Term.objects.filter(code__in=extracted))


class CostOptionFactory(DjangoModelFactory):
    class Meta:
        model = CostOption

    provision = factory.SubFactory(ProvisionFactory)
    label = "Full-time place"
    amount = "95.00"
    unit = CostOption.Unit.PER_DAY


# --- Pupils and placements (issue 3) ---------------------------------------------------------------------------


def make_upn(la_code: str, serial: int) -> str:
    """A valid permanent UPN for LA `la_code`: check letter, LA number, 8 more digits, final digit."""
    from aphub.core.identifiers import upn_check_letter

    body = f"{la_code}{serial:09d}"[:12]
    return upn_check_letter(body) + body


class PupilFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.Pupil"

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    upn = factory.LazyAttributeSequence(lambda o, n: make_upn(o.local_authority.la_code, 1000 + n))
    upn_is_temporary = False
    first_name = factory.Sequence(lambda n: f"Robin{n}")
    last_name = factory.Sequence(lambda n: f"Hartley{n}")
    date_of_birth = factory.LazyFunction(lambda: datetime.date(2012, 3, 14))
    sex = "F"
    postcode = "B91 3QB"


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.Enrolment"

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SubFactory(SchoolFactory, local_authority=factory.SelfAttribute("..pupil.local_authority"))
    start_date = factory.LazyFunction(lambda: datetime.date(2023, 9, 4))


def route_for(local_authority, kind: str = "permanent-exclusion"):
    from aphub.placements.services import ensure_routes

    ensure_routes(local_authority=local_authority)
    return local_authority.routes.get(kind=kind)


class EpisodeFactory(DjangoModelFactory):
    class Meta:
        model = "placements.Episode"

    pupil = factory.SubFactory(PupilFactory)
    route = factory.LazyAttribute(lambda o: route_for(o.pupil.local_authority))
    start_date = factory.LazyFunction(lambda: datetime.date(2026, 11, 3))


class PlacementFactory(DjangoModelFactory):
    """An active full-time LA placement; the provision belongs to a provider in the pupil's LA."""

    class Meta:
        model = "placements.Placement"

    pupil = factory.SubFactory(PupilFactory)
    episode = factory.SubFactory(EpisodeFactory, pupil=factory.SelfAttribute("..pupil"))
    provision = factory.SubFactory(
        ProvisionFactory, provider__local_authority=factory.SelfAttribute("...pupil.local_authority")
    )
    route = factory.SelfAttribute("episode.route")
    commissioner = "la"
    tier = "2"
    status = "active"
    start_date = factory.LazyFunction(lambda: datetime.date(2026, 11, 10))
    sessions_per_week = 10
    hours_per_week = "25.0"
    is_full_time = True
    registration = "dual"
    annual_cost = "18000.00"


class TopUpBandFactory(DjangoModelFactory):
    """A band of the LA's top-up table, for every provision of the LA unless given a provision or a lot."""

    class Meta:
        model = "commissioning.TopUpBand"

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    code = factory.Sequence(lambda n: "ABCDE"[n % 5] + (str(n // 5) if n >= 5 else ""))
    label = factory.LazyAttribute(lambda band: f"Band {band.code}")
    annual_amount = Decimal("6000.00")


class CommissionedPlacesFactory(DjangoModelFactory):
    """Places an LA commissions at a provision of its directory for an academic year, at £10,000 a place."""

    class Meta:
        model = "commissioning.CommissionedPlaces"

    provision = factory.SubFactory(ProvisionFactory)
    local_authority = factory.SelfAttribute("provision.local_authority")
    academic_year = 2026
    places = 10
    rate_per_place = "10000.00"
    payer = "la"
