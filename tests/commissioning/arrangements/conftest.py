import pytest

from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory, member


@pytest.fixture
def la(db):
    return LocalAuthorityFactory(name="Elmbridge Vale Council", la_code="990")


@pytest.fixture
def other_la(db):
    return LocalAuthorityFactory(name="Ashcombe Moor Council", la_code="991")


@pytest.fixture
def officer(la):
    return member(Role.LA_OFFICER, la)


@pytest.fixture
def second_officer(la):
    return member(Role.LA_OFFICER, la)


@pytest.fixture
def la_admin(la):
    return member(Role.LA_ADMIN, la)


@pytest.fixture
def auditor(la):
    return member(Role.AUDITOR, la)


@pytest.fixture
def other_officer(other_la):
    return member(Role.LA_OFFICER, other_la)


@pytest.fixture
def provider_staff(la):
    return member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la))


@pytest.fixture
def school_staff(la):
    return member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
