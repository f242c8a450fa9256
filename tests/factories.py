"""factory_boy factories shared by every app's tests. Fictional people and places only."""

import factory
from factory.django import DjangoModelFactory

from aphub.directory.models import CostOption, Provision, Term
from aphub.organisations.models import LocalAuthority, Membership, Provider, Role, School, User


class LocalAuthorityFactory(DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("la_code",)

    name = factory.Sequence(lambda n: f"Borough {n}")
    la_code = factory.Sequence(lambda n: f"{800 + n % 199:03d}")
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
