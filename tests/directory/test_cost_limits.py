"""Decision 0025: a cost's amount and description have one limit each (directory.services), so the edit page and the
service refuse a bad one in the same words, naming the cost by its description."""

from decimal import Decimal

import pytest

from aphub.core.errors import DomainError
from aphub.directory import services
from aphub.directory.forms import CostOptionForm
from aphub.directory.models import Provision
from tests.directory.conftest import provision_values

pytestmark = pytest.mark.django_db


def page_says(row: dict) -> dict[str, list[str]]:
    return CostOptionForm(row).errors


def service_says(user, row: dict) -> list[str]:
    with pytest.raises(DomainError) as refused:
        services.create_provision(user=user, values=provision_values(), cost_options=[row])
    assert not Provision.objects.exists()
    return [each.message for each in getattr(refused.value, "errors", [refused.value])]


@pytest.mark.parametrize(
    "amount",
    ["ninety", "-1", "95.001", "100000000", "100000000.00", "NaN", "Infinity", ""],
)
def test_a_bad_amount_gets_the_same_sentence_from_the_page_and_the_service(provider_staff, amount):
    row = {"label": "Full day", "amount": amount, "unit": "day"}
    said = ["Enter the cost of 'Full day' in pounds, like 95.00"]
    assert page_says(row) == {"amount": said}
    assert service_says(provider_staff, row) == said


def test_a_description_too_long_gets_the_same_sentence_from_the_page_and_the_service(provider_staff):
    row = {"label": "x" * 121, "amount": "95.00", "unit": "day"}
    said = ["The description of the cost must be 120 characters or fewer"]
    assert page_says(row) == {"label": said}
    assert service_says(provider_staff, row) == said


def test_the_highest_amount_and_longest_description_are_kept_as_typed(provider_staff):
    form = CostOptionForm({"label": "x" * 120, "amount": "99999999.99", "unit": "year"})
    assert form.is_valid(), form.errors
    made = services.create_provision(user=provider_staff, values=provision_values(), cost_options=[form.option()])
    option = made.cost_options.get()
    assert (option.label, option.amount) == ("x" * 120, Decimal("99999999.99"))


def test_the_form_asks_the_services_limits():
    assert CostOptionForm.base_fields["label"].limit is services.COST_LABEL
