"""The header holds at most 7 items for every role (GOV.UK service navigation); every page the role's navigation
offers is still one click from its home page, in the header or under "Other pages"."""

import re

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from aphub.organisations.navigation import HEADER_LIMIT, pages_for
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db

HOME = reverse("organisations:home")


def organisation_for(role):
    la = LocalAuthorityFactory()
    if role == Role.SCHOOL_STAFF:
        return SchoolFactory(local_authority=la)
    if role == Role.PROVIDER_STAFF:
        return ProviderFactory(local_authority=la)
    return la


def header_of(page: str) -> str:
    return re.search(r'<ul class="govuk-service-navigation__list" id="navigation">.*?</ul>', page, flags=re.S).group(0)


@pytest.mark.parametrize("role", Role.values)
def test_no_roles_header_has_more_than_seven_items(client, role):
    client.force_login(member(role, organisation_for(role)))
    header = header_of(client.get(HOME).content.decode())
    items = header.count('class="govuk-service-navigation__item')
    assert 3 <= items <= HEADER_LIMIT == 7, header  # Find AP, Sign out and the role's own lists


@pytest.mark.parametrize("role", Role.values)
def test_every_page_of_the_role_is_reachable_from_its_home_page(client, role):
    user = member(role, organisation_for(role))
    client.force_login(user)
    page = client.get(HOME).content.decode()
    pages = pages_for(user.memberships.get())
    assert len(pages) > 1
    for label, url_name in pages:
        assert f'href="{reverse(url_name)}"' in page, f"{label} ({url_name}) is not reachable from home"
