"""A form with rows (a formset) posted without its management form, or with a broken one, is a form error with the
rows shown again: never a server error, and nothing saved."""

import pytest
from django.urls import reverse

from aphub.directory.models import Provision
from aphub.organisations.models import Role
from tests.directory.test_staff_pages import form_data
from tests.factories import ProviderFactory, member

pytestmark = pytest.mark.django_db

MANAGEMENT = ("costs-TOTAL_FORMS", "costs-INITIAL_FORMS", "costs-MIN_NUM_FORMS", "costs-MAX_NUM_FORMS")


def without_management_form() -> dict:
    return {k: v for k, v in form_data().items() if k not in MANAGEMENT}


@pytest.mark.parametrize(
    "data",
    [
        without_management_form(),
        form_data(**dict.fromkeys(MANAGEMENT, "abc")),
        form_data(**{"costs-TOTAL_FORMS": "-1"}),
        form_data(**{"costs-TOTAL_FORMS": "99999999999999999999"}),
    ],
    ids=["missing", "not-numbers", "negative", "huge"],
)
def test_a_broken_management_form_is_a_form_error_with_the_rows_shown_again(client, data):
    client.force_login(member(Role.PROVIDER_STAFF, ProviderFactory()))
    response = client.post(reverse("directory:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'name="costs-0-label"' in page
    assert not Provision.objects.exists()
