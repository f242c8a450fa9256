"""Write permission (decision 0021): every `can_<action>` of every app, asked for each role acting for its own
organisation and for another one. A function of a role alone admits exactly its roles; a function of an object
admits its roles only for their own organisation's object, never another's; nobody without a membership."""

from types import SimpleNamespace

import pytest

from aphub.commissioning import permissions as commissioning
from aphub.directory import permissions as directory
from aphub.duties import permissions as duties
from aphub.organisations import permissions as organisations
from aphub.organisations.models import (
    ALL_ROLES,
    API_TOKEN_ROLES,
    COMMISSIONERS,
    LA_ADMINS,
    LA_EDITORS,
    PROVIDER_ROLES,
    SCHOOL_ROLES,
    Membership,
    Role,
)
from aphub.placements import permissions as placements
from aphub.placements.models import Placement
from aphub.pupils import permissions as pupils

# The acting user's own organisations, and another LA's, school's and provider's.
OWN = SimpleNamespace(la=1, school=10, provider=100)
OTHER = SimpleNamespace(la=2, school=20, provider=200)


def membership(role: str, org: SimpleNamespace) -> Membership:
    """An unsaved membership: the permission functions read only its role and organisation."""
    if role == Role.SCHOOL_STAFF:
        return Membership(role=role, school_id=org.school)
    if role == Role.PROVIDER_STAFF:
        return Membership(role=role, provider_id=org.provider)
    return Membership(role=role, local_authority_id=org.la)


# (function, the roles it admits)
BY_ROLE = [
    (organisations.can_manage_api_tokens, API_TOKEN_ROLES),
    (placements.can_commission, COMMISSIONERS),
    (placements.can_correct_episodes, LA_EDITORS),
    (placements.can_change_routes, LA_ADMINS),
    (placements.can_refer, COMMISSIONERS),
    (placements.can_sit_on_panel, LA_EDITORS),
    (placements.can_record_follow_ups, COMMISSIONERS),
    (placements.can_take_registers, PROVIDER_ROLES | SCHOOL_ROLES),
    (pupils.can_record_pupils, COMMISSIONERS),
    (directory.can_add_provision, PROVIDER_ROLES),
    (commissioning.can_set_up_arrangements, LA_EDITORS),
    (commissioning.can_apply, PROVIDER_ROLES),
    (commissioning.can_evaluate, LA_EDITORS),
    (commissioning.can_change_quality_policy, LA_ADMINS),
    (commissioning.can_assure_quality, LA_EDITORS),
]


def la_placement(org):
    return SimpleNamespace(
        provision=SimpleNamespace(provider_id=org.provider),
        status=Placement.Status.ACTIVE,
        commissioner="la",
        pupil=SimpleNamespace(local_authority_id=org.la),
        commissioning_school_id=None,
        recorded_by_school=False,
    )


def school_placement(org):
    placement = la_placement(org)
    placement.commissioner, placement.commissioning_school_id = "school", org.school
    return placement


def arrangement(org):
    return SimpleNamespace(owner_id=org.la)


def application(org):
    return SimpleNamespace(provider_id=org.provider)


def visit_action(org):
    return SimpleNamespace(visit=SimpleNamespace(provider_id=org.provider))


def admission(org):
    return SimpleNamespace(lot=SimpleNamespace(arrangement=arrangement(org)))


def of_pupil(org):
    return SimpleNamespace(pupil=SimpleNamespace(local_authority_id=org.la))


def of_la(org):
    return SimpleNamespace(local_authority_id=org.la)


def clock(org):
    return SimpleNamespace(local_authority_id=org.la, owner_school_id=org.school)


# (name, function, the object as it would be for organisations `org`, the roles it admits for their own)
OF_OBJECT = [
    ("change an arrangement", commissioning.can_change_arrangement, arrangement, LA_EDITORS),
    ("change an application", commissioning.can_change_application, application, PROVIDER_ROLES),
    ("note a visit's action", commissioning.can_note_action, visit_action, PROVIDER_ROLES),
    ("change an admission", commissioning.can_change_admission, admission, LA_EDITORS),
    ("set the LA's quality policy", commissioning.can_change_quality_policy, lambda org: org.la, LA_ADMINS),
    ("assure the LA's quality", commissioning.can_assure_quality, lambda org: org.la, LA_EDITORS),
    ("change who commissions a placement", placements.can_change_commissioner, of_pupil, LA_EDITORS),
    ("change a route", placements.can_change_routes, of_la, LA_ADMINS),
    ("review an LA's placement", placements.can_record_review, la_placement, LA_EDITORS | PROVIDER_ROLES),
    (
        "review a school's placement",
        placements.can_record_review,
        school_placement,
        {Role.SCHOOL_STAFF, Role.PROVIDER_STAFF},
    ),
    # A school's own register of AP it recorded asks whether the provider has users: tests/attendance/
    # test_school_registers.py, with a database.
    ("take the register of a placement", placements.can_take_register_of, la_placement, PROVIDER_ROLES),
    ("take the register of a school's placement", placements.can_take_register_of, school_placement, PROVIDER_ROLES),
    ("record a duty met", duties.can_record_met, clock, COMMISSIONERS),
]


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
@pytest.mark.parametrize(("can", "roles"), BY_ROLE, ids=[can.__name__ for can, _ in BY_ROLE])
def test_an_action_of_a_role_admits_exactly_its_roles(can, roles, role):
    assert can(membership(role, OWN)) is (role in roles)
    assert can(None) is False


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
@pytest.mark.parametrize(("name", "can", "of", "roles"), OF_OBJECT, ids=[row[0] for row in OF_OBJECT])
def test_an_action_on_an_object_admits_its_roles_for_their_own_organisation_only(name, can, of, roles, role):
    assert can(membership(role, OWN), of(OWN)) is (role in roles), "own organisation"
    assert can(membership(role, OTHER), of(OWN)) is False, "another organisation"
    assert can(None, of(OWN)) is False


def test_a_provider_cannot_review_a_placement_cancelled_before_it_started():
    placement = la_placement(OWN)
    placement.status = Placement.Status.CANCELLED
    assert placements.can_record_review(membership(Role.PROVIDER_STAFF, OWN), placement) is False
    assert placements.can_record_review(membership(Role.LA_OFFICER, OWN), placement) is True


def test_a_duty_no_school_owns_is_recorded_by_the_la_only():
    unowned = SimpleNamespace(local_authority_id=OWN.la, owner_school_id=None)
    assert duties.can_record_met(membership(Role.SCHOOL_STAFF, OWN), unowned) is False
    assert duties.can_record_met(membership(Role.LA_OFFICER, OWN), unowned) is True


def test_a_school_hands_back_nothing_and_the_la_hands_back_only_a_placement_a_school_commissions():
    placement = school_placement(OWN)
    placement.status = Placement.Status.ACTIVE
    assert placements.can_hand_back_to_la(membership(Role.LA_OFFICER, OWN), placement) is True
    assert placements.can_hand_back_to_la(membership(Role.SCHOOL_STAFF, OWN), placement) is False
    assert placements.can_hand_back_to_la(membership(Role.LA_OFFICER, OWN), la_placement(OWN)) is False
