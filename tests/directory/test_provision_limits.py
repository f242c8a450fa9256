"""Decision 0025: a provision's text answers and numbers have one limit each (directory.services.PROVISION_LIMITS),
so the edit page and the service refuse a bad one in the same words."""

import pytest

from aphub.core.errors import DomainError
from aphub.directory import services
from aphub.directory.forms import ProvisionForm, RejectForm
from aphub.directory.models import Provision
from tests.directory.conftest import provision_values
from tests.factories import ProvisionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "x" * 201, "Name of the provision must be 200 characters or fewer"),
        ("summary", "x" * 301, "Summary must be 300 characters or fewer"),
        ("address_line_2", "x" * 201, "Address line 2 must be 200 characters or fewer"),
        ("contact_phone", "0" * 31, "Contact phone number must be 30 characters or fewer"),
        ("age_min", "3", "Enter the youngest age the provision takes, from 4 to 25"),
        ("age_max", "26", "Enter the oldest age the provision takes, from 4 to 25"),
        ("places", "10001", "Enter the number of places, like 12"),
        ("typical_duration_weeks", "521", "Enter the typical length in weeks, like 20"),
    ],
)
def test_the_page_and_the_service_refuse_a_bad_answer_in_the_same_words(provider_staff, field, typed, message):
    said_by_page = ProvisionForm(data={field: typed}, terms={}).errors[field]
    with pytest.raises(DomainError) as refused:
        services.create_provision(user=provider_staff, values=provision_values(**{field: typed}))
    said_by_service = [each.message for each in getattr(refused.value, "errors", [refused.value])]
    assert said_by_page == said_by_service == [message]
    assert not Provision.objects.exists()


def test_the_form_asks_the_services_limits():
    for name, limit in services.PROVISION_LIMITS.items():
        assert ProvisionForm.base_fields[name].limit is limit, name


def test_the_reason_for_returning_a_provision_too_long_is_refused_in_the_same_words_by_the_form_and_the_service(
    provider, officer
):
    provision = ProvisionFactory(provider=provider, local_authority=provider.local_authority, status="submitted")
    too_long = "x" * 2001
    with pytest.raises(DomainError) as refused:
        services.reject_provision(user=officer, provision=provision, reason=too_long)
    assert RejectForm(data={"reason": too_long}).errors["reason"] == [refused.value.message]
    assert refused.value.message == "The reason must be 2,000 characters or fewer"
    assert Provision.objects.get(pk=provision.pk).status == "submitted"
