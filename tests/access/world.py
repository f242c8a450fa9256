"""Two of everything: the signed-in users live on side X, the objects they must not reach on side Y.

OBJECT_MAKERS says, for each URL name with an object kwarg, how to make objects owned by side Y (LA Y, school B,
provider P2). Add one line per new page; a page with an object kwarg and no line fails tests/access.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from aphub.organisations.models import LocalAuthority, Membership, Provider, Role, School, User
from aphub.organisations.services import issue_api_token
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory, member


@dataclass
class World:
    la_x: LocalAuthority
    la_y: LocalAuthority
    school_a: School
    school_b: School
    provider_p1: Provider
    provider_p2: Provider
    # Side X: the people who try.
    actors: dict[str, User]
    # Side Y: people whose organisations own the objects.
    la_admin_y: User
    school_b_staff: User
    provider_p2_staff: User

    @classmethod
    def build(cls) -> "World":
        la_x = LocalAuthorityFactory(name="Xenbury Borough Council")
        la_y = LocalAuthorityFactory(name="Yarrowdale City Council")
        school_a = SchoolFactory(name="Ashgrove Academy", local_authority=la_x)
        school_b = SchoolFactory(name="Birchwood High School", local_authority=la_y)
        p1 = ProviderFactory(legal_name="Pathways One Learning Ltd", local_authority=la_x)
        p2 = ProviderFactory(legal_name="Second Chance Tuition Ltd", local_authority=la_y)
        actors = {
            Role.LA_ADMIN: member(Role.LA_ADMIN, la_x),
            Role.LA_OFFICER: member(Role.LA_OFFICER, la_x),
            Role.AUDITOR: member(Role.AUDITOR, la_x),
            Role.SCHOOL_STAFF: member(Role.SCHOOL_STAFF, school_a),
            Role.PROVIDER_STAFF: member(Role.PROVIDER_STAFF, p1),
        }
        return cls(
            la_x=la_x,
            la_y=la_y,
            school_a=school_a,
            school_b=school_b,
            provider_p1=p1,
            provider_p2=p2,
            actors=actors,
            la_admin_y=member(Role.LA_ADMIN, la_y),
            school_b_staff=member(Role.SCHOOL_STAFF, school_b),
            provider_p2_staff=member(Role.PROVIDER_STAFF, p2),
        )

    @staticmethod
    def membership(user: User) -> Membership:
        return user.memberships.get()


def _tokens_of_side_y(world: World) -> list[models.Model]:
    return [
        issue_api_token(membership=world.membership(world.la_admin_y), name="Yarrowdale MIS feed").token,
        issue_api_token(membership=world.membership(world.provider_p2_staff), name="Second Chance registers").token,
    ]


def _provisions_of_side_y(world: World) -> list[models.Model]:
    """Provider P2's provisions listed by LA Y, in every state a page might act on."""
    from aphub.directory.models import Provision
    from tests.factories import ProvisionFactory

    return [
        ProvisionFactory(
            provider=world.provider_p2, local_authority=world.la_y, status=status, name=f"Yarrow {status} centre"
        )
        for status in (
            Provision.Status.DRAFT,
            Provision.Status.SUBMITTED,
            Provision.Status.PUBLISHED,
            Provision.Status.ARCHIVED,
        )
    ]


_PROVISION = {"pk": _provisions_of_side_y}

# url name -> {kwarg -> make objects owned by side Y}. One line per page with an object in its URL.
OBJECT_MAKERS: dict[str, dict[str, Callable[[World], list[models.Model]]]] = {
    "organisations:revoke-api-token": {"pk": _tokens_of_side_y},
    "directory:edit": _PROVISION,
    "directory:review": _PROVISION,
    "directory:submit": _PROVISION,
    "directory:approve": _PROVISION,
    "directory:reject": _PROVISION,
    "directory:archive": _PROVISION,
    "directory:restore": _PROVISION,
}


def shown_name(obj: models.Model) -> str:
    """What would give the object away if it appeared on a page."""
    return str(getattr(obj, "name", "") or obj)
