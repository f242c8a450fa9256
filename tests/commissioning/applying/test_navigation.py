"""Provider staff reach "Applications" and "Evidence" from the shell (header or home page); no other role does."""

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from aphub.organisations.navigation import pages_for

pytestmark = pytest.mark.django_db


def test_provider_staff_see_applications_and_evidence(staff):
    labels = {label: reverse(name) for label, name in pages_for(staff.memberships.get())}
    assert labels["Applications"] == reverse("commissioning:applications")
    assert labels["Evidence"] == reverse("commissioning:evidence")


@pytest.mark.parametrize("role", [Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR])
def test_la_roles_do_not(la, role):
    from tests.factories import member

    labels = {label for label, _ in pages_for(member(role, la).memberships.get())}
    assert "Applications" not in labels and "Evidence" not in labels
