"""The navigation is derived from the views it leads to (decision 0021): each entry's roles are its view's
`role_required` roles, so the navigation never offers a role a page that refuses it."""

import pytest
from django.urls import reverse

from aphub.organisations.access import roles_of
from aphub.organisations.models import ALL_ROLES, Role
from aphub.organisations.navigation import HEADER, NAVIGATION, navigation_for, pages_for, view_roles
from tests.factories import member
from tests.organisations.test_header import organisation_for


@pytest.mark.parametrize("entry", NAVIGATION, ids=[entry.url_name for entry in NAVIGATION])
def test_every_entry_leads_to_a_role_protected_view_and_hides_it_only_from_roles_it_admits(entry):
    roles = view_roles(entry.url_name)
    assert roles and roles <= ALL_ROLES
    assert entry.hidden_from <= roles, f"{entry.url_name} hides itself from roles its view refuses anyway"
    assert roles - entry.hidden_from, f"{entry.url_name} is offered to nobody"


def test_the_header_picks_only_pages_of_the_navigation():
    names = {entry.url_name for entry in NAVIGATION}
    for role, picked in HEADER.items():
        assert set(picked) <= names, role


def test_an_entry_follows_its_views_roles(monkeypatch):
    """A role a view is given finds the page in its navigation, with nothing typed in the navigation."""
    monkeypatch.setattr("aphub.organisations.navigation.view_roles", lambda url_name: ALL_ROLES)
    auditor = type("Membership", (), {"role": Role.AUDITOR})()
    assert ("Registers", "placements:attendance-register") in pages_for(auditor)


def test_roles_of_a_view_is_what_role_required_declared():
    from aphub.placements.pupils.views import pupils

    # Every role but the finance officer, who sees the children behind the money only (issue 13).
    assert roles_of(pupils) == view_roles("placements:pupils") == ALL_ROLES - {Role.FINANCE_OFFICER}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_each_roles_navigation_opens_for_that_role(client, role):
    """Walk as the role: every page of its navigation (the header's among them) opens, none is a 403."""
    user = member(role, organisation_for(role))
    client.force_login(user)
    membership = user.memberships.get()
    header = [item["url_name"] for item in navigation_for(membership)]
    assert header, role
    pages = [url_name for _, url_name in pages_for(membership)]
    assert set(header) <= set(pages)
    for url_name in pages:
        response = client.get(reverse(url_name))
        assert response.status_code == 200, f"{role} cannot open {url_name}: {response.status_code}"
