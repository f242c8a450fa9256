"""A provision with several mistakes is told all of them together by the service, not one a submission."""

import pytest

from aphub.core.errors import DomainErrors
from aphub.directory import services
from aphub.directory.models import Provision
from tests.directory.conftest import provision_values


def test_a_provision_with_no_name_reversed_ages_a_bad_postcode_and_a_bad_cost_is_told_everything(provider_staff):
    with pytest.raises(DomainErrors) as refused:
        services.create_provision(
            user=provider_staff,
            values=provision_values(name=" ", age_min=16, age_max=11, postcode="NOT A POSTCODE"),
            cost_options=[{"label": "Full day", "amount": "ninety", "unit": "fortnight"}],
        )
    messages = [each.message for each in refused.value.errors]
    assert messages == [
        "Enter the name of the provision.",
        "The youngest age must be the same as or less than the oldest age.",
        "Enter a real postcode, like B91 3QB.",
        "Enter the cost of 'Full day' in pounds, like 95.00",
        "Choose what the cost of 'Full day' is for, like per day.",
    ]
    assert not Provision.objects.exists()


def test_the_models_own_rules_are_reported_for_every_field(provider_staff):
    with pytest.raises(DomainErrors) as refused:
        services.create_provision(
            user=provider_staff, values=provision_values(contact_email="not an address", website="not a site")
        )
    assert {each.field for each in refused.value.errors} == {"contact_email", "website"}
