import pytest

from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, ProviderFactory, member


@pytest.fixture
def la(db):
    return LocalAuthorityFactory(name="Elmbridge Vale Council")


@pytest.fixture
def provider(la):
    return ProviderFactory(local_authority=la, legal_name="Bright Futures Learning Ltd")


@pytest.fixture
def provider_staff(provider):
    return member(Role.PROVIDER_STAFF, provider)


@pytest.fixture
def officer(la):
    return member(Role.LA_OFFICER, la)


@pytest.fixture
def la_admin(la):
    return member(Role.LA_ADMIN, la)


@pytest.fixture
def auditor(la):
    return member(Role.AUDITOR, la)


@pytest.fixture
def other_la():
    return LocalAuthorityFactory(name="Far Shire Council")


@pytest.fixture
def other_officer(other_la):
    return member(Role.LA_OFFICER, other_la)


@pytest.fixture
def other_provider_staff(la):
    return member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la))


def provision_values(**overrides):
    values = {
        "name": "Horizons Centre",
        "summary": "Small-group teaching for pupils at risk of exclusion",
        "description": "",
        "age_min": 11,
        "age_max": 16,
        "attendance_pattern": "full-time",
        "sessions_offered": "Monday to Friday, 9am to 3pm",
        "typical_duration_weeks": 20,
        "admissions_criteria": "",
        "exit_criteria": "",
        "places": 12,
        "address_line_1": "1 Station Road",
        "address_line_2": "",
        "town": "Elmbridge",
        "postcode": "B91 3SX",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "how_to_refer": "",
    }
    values.update(overrides)
    return values
