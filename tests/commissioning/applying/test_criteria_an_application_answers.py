"""The criteria an application answers: the union of what its lots ask, in the data file's order, skipping criteria
for registered providers when the provider is unregistered, and the other way round."""

import pytest

from aphub.commissioning.applications.queries import criteria_needed
from aphub.organisations.models import Provider
from tests.factories import ProviderFactory

from .makers import make_arrangement

pytestmark = pytest.mark.django_db


def codes(criteria):
    return [criterion.code for criterion in criteria]


def test_two_lots_ask_the_union_of_their_criteria_once_each(provider, la):
    arrangement = make_arrangement(
        la,
        lots=[
            ("Full time", ["registration", "dbs-checks", "insurance-public-liability"], False),
            ("Online", ["dbs-checks", "data-protection"], False),
        ],
    )
    assert codes(criteria_needed(provider, arrangement.lots.all())) == [
        "registration",
        "dbs-checks",
        "insurance-public-liability",
        "data-protection",
    ]


def test_an_unregistered_provider_is_not_asked_for_an_ofsted_outcome(provider, arrangement):
    assert provider.registration_status == Provider.RegistrationStatus.UNREGISTERED
    needed = codes(criteria_needed(provider, arrangement.lots.all()))
    assert "ofsted-outcome" not in needed
    assert "national-standards-unregistered-ap" in needed


@pytest.mark.parametrize(
    "status", [Provider.RegistrationStatus.REGISTERED_SCHOOL, Provider.RegistrationStatus.REGISTERED_FE]
)
def test_a_registered_provider_is_not_asked_for_the_unregistered_standards(la, arrangement, status):
    registered = ProviderFactory(registration_status=status, local_authority=la)
    needed = codes(criteria_needed(registered, arrangement.lots.all()))
    assert "ofsted-outcome" in needed
    assert "national-standards-unregistered-ap" not in needed


def test_no_lots_ask_nothing(provider):
    assert criteria_needed(provider, []) == []
