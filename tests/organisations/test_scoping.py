"""visible_to(user) on the organisations' own models: deny by default, each role sees its own organisation."""

import pytest
from django.contrib.auth.models import AnonymousUser

from aphub.core.scoping import ScopedQuerySet
from aphub.organisations.models import LocalAuthority, Membership, Provider, Role, School
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_las():
    la_x, la_y = LocalAuthorityFactory(), LocalAuthorityFactory()
    return {
        "la_x": la_x,
        "la_y": la_y,
        "school_a": SchoolFactory(local_authority=la_x),
        "school_b": SchoolFactory(local_authority=la_y),
        "p1": ProviderFactory(local_authority=la_x),
        "p2": ProviderFactory(local_authority=la_y),
    }


@pytest.mark.parametrize("model", [LocalAuthority, School, Provider, Membership])
def test_the_public_and_users_without_a_role_see_nothing(two_las, model):
    assert isinstance(model.objects.all(), ScopedQuerySet)
    assert not model.objects.visible_to(AnonymousUser()).exists()
    assert not model.objects.visible_to(None).exists()
    assert not model.objects.visible_to(UserFactory()).exists()


def test_an_unknown_role_sees_nothing(two_las):
    user = member(Role.LA_OFFICER, two_las["la_x"])
    user.membership = user.memberships.get()
    user.membership.role = "head-teacher"
    assert not School.objects.visible_to(user).exists()


def test_la_staff_see_their_las_schools_and_providers_only(two_las):
    for role in (Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR):
        user = member(role, two_las["la_x"])
        assert list(School.objects.visible_to(user)) == [two_las["school_a"]]
        assert list(Provider.objects.visible_to(user)) == [two_las["p1"]]
        assert list(LocalAuthority.objects.visible_to(user)) == [two_las["la_x"]]


def test_a_provider_working_in_another_la_is_seen_there_through_its_provisions(two_las):
    from tests.factories import ProvisionFactory

    ProvisionFactory(provider=two_las["p2"], local_authority=two_las["la_x"])
    user = member(Role.LA_OFFICER, two_las["la_x"])
    assert set(Provider.objects.visible_to(user)) == {two_las["p1"], two_las["p2"]}


def test_school_staff_see_their_school_and_no_other(two_las):
    user = member(Role.SCHOOL_STAFF, two_las["school_a"])
    assert list(School.objects.visible_to(user)) == [two_las["school_a"]]
    assert list(LocalAuthority.objects.visible_to(user)) == [two_las["la_x"]]
    assert list(Provider.objects.visible_to(user)) == [two_las["p1"]]


def test_provider_staff_see_their_provider_and_no_school(two_las):
    user = member(Role.PROVIDER_STAFF, two_las["p1"])
    assert list(Provider.objects.visible_to(user)) == [two_las["p1"]]
    assert not School.objects.visible_to(user).exists()


def test_memberships_are_seen_within_the_organisation(two_las):
    admin = member(Role.LA_ADMIN, two_las["la_x"])
    officer = member(Role.LA_OFFICER, two_las["la_x"])
    school_staff = member(Role.SCHOOL_STAFF, two_las["school_a"])
    other = member(Role.SCHOOL_STAFF, two_las["school_b"])
    seen_by_admin = {m.user for m in Membership.objects.visible_to(admin)}
    assert {admin, officer, school_staff} <= seen_by_admin
    assert other not in seen_by_admin
    assert {m.user for m in Membership.objects.visible_to(officer)} == {admin, officer}
    assert {m.user for m in Membership.objects.visible_to(school_staff)} == {school_staff}
