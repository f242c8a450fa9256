"""LocalAuthorityScopedQuerySet: the LA's officers, admins and auditors see their own LA's rows through the path the
queryset names, another LA's staff see none of them, and the roles the queryset writes no method for see nothing."""

import pytest

from aphub.organisations.models import Role
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet
from aphub.placements.models import Placement
from aphub.pupils.models import Enrolment, Pupil
from tests.factories import EnrolmentFactory, LocalAuthorityFactory, PlacementFactory, ProviderFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_las():
    la_x, la_y = LocalAuthorityFactory(), LocalAuthorityFactory()
    return la_x, la_y, EnrolmentFactory(pupil__local_authority=la_x), EnrolmentFactory(pupil__local_authority=la_y)


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.LA_ADMIN, Role.AUDITOR])
def test_each_la_role_sees_its_own_las_rows_through_the_path(two_las, role):
    la_x, _, ours, _ = two_las
    user = member(role, la_x)
    assert list(Pupil.objects.visible_to(user)) == [ours.pupil]  # local_authority_id
    assert list(Enrolment.objects.visible_to(user)) == [ours]  # pupil__local_authority_id


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.AUDITOR])
def test_another_las_staff_see_none_of_the_rows(two_las, role):
    la_x, _, _, _ = two_las
    stranger = member(role, LocalAuthorityFactory())
    assert not Pupil.objects.visible_to(stranger).exists()
    assert not Enrolment.objects.visible_to(stranger).exists()
    placement = PlacementFactory(pupil__local_authority=la_x)
    assert not Placement.objects.visible_to(stranger).exists()
    assert list(Placement.objects.visible_to(member(Role.AUDITOR, la_x))) == [placement]


def test_a_role_the_queryset_writes_nothing_for_sees_nothing(two_las):
    class LAOnlyEnrolments(LocalAuthorityScopedQuerySet):
        local_authority_path = "pupil__local_authority_id"

    provider_staff = member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=two_las[0]))
    rows = LAOnlyEnrolments(model=Enrolment)
    assert not rows.visible_to(provider_staff).exists()
    assert not rows.role_sees_any(provider_staff)
    assert rows.role_sees_any(member(Role.AUDITOR, two_las[0]))


def test_a_queryset_that_names_no_path_is_refused_at_import():
    with pytest.raises(TypeError, match="local_authority_path"):

        class Unscoped(LocalAuthorityScopedQuerySet):
            pass
