import pytest

from aphub.duties.services import default_term_dates, load_term_dates
from tests.factories import LocalAuthorityFactory, SchoolFactory


@pytest.fixture
def la(db):
    """An LA with the typical English term dates of 2025-26 to 2027-28 loaded."""
    local_authority = LocalAuthorityFactory(name="Elmbridge Borough Council")
    load_term_dates(local_authority=local_authority, **default_term_dates())
    return local_authority


@pytest.fixture
def school(la):
    return SchoolFactory(name="Kingsmead Academy", local_authority=la)
