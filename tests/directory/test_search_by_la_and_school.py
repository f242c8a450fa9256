"""The public search filters by local authority (a select of LAs with published provisions; no JavaScript needed),
and a signed-in school sees distances from its own postcode, filled in for it."""

import pytest
from django.urls import reverse

from aphub.directory.geocoding import geocode
from aphub.directory.queries import local_authorities_with_published_provisions, search_provisions
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, ProvisionFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db


def at(postcode: str, **kwargs):
    lat, lon = geocode(postcode)
    return ProvisionFactory(postcode=postcode, latitude=lat, longitude=lon, **kwargs)


@pytest.fixture
def two_las():
    solihull, coventry = LocalAuthorityFactory(name="Solihull"), LocalAuthorityFactory(name="Coventry")
    ProvisionFactory(name="Solihull Centre", local_authority=solihull)
    ProvisionFactory(name="Coventry Centre", local_authority=coventry)
    empty = LocalAuthorityFactory(name="Warwickshire")
    ProvisionFactory(name="Draft only", local_authority=empty, status="draft")
    return solihull, coventry, empty


def test_the_las_offered_are_those_with_published_provisions(two_las):
    solihull, coventry, _ = two_las
    assert local_authorities_with_published_provisions() == [(coventry.pk, "Coventry"), (solihull.pk, "Solihull")]


def test_search_filters_by_local_authority(two_las):
    solihull, _, _ = two_las
    found = search_provisions(local_authority=solihull.pk)
    assert [p.name for p in found.page.object_list] == ["Solihull Centre"]


def test_the_search_page_filters_by_local_authority_without_javascript(client, two_las):
    solihull, coventry, empty = two_las
    page = client.get(reverse("directory:search")).content.decode()
    assert '<select name="local_authority" class="govuk-select" id="id_local_authority">' in page
    assert f'<option value="{solihull.pk}">Solihull</option>' in page
    assert "Warwickshire" not in page
    body = client.get(reverse("directory:search"), {"local_authority": coventry.pk}).content.decode()
    assert "Coventry Centre" in body and "Solihull Centre" not in body
    assert f'<option value="{coventry.pk}" selected>Coventry</option>' in body


def test_an_la_not_in_the_list_is_a_clear_error_not_a_500(client, two_las):
    _, _, empty = two_las
    for value in (empty.pk, "x", "99999999999999999999"):
        response = client.get(reverse("directory:search"), {"local_authority": value})
        assert response.status_code == 200
        assert "Choose a local authority from the list" in response.content.decode()


def test_a_signed_in_school_sees_distances_from_its_own_postcode(client):
    school = SchoolFactory(name="Kingsmead School", postcode="B91 3SX")
    at("B93 6DE", name="Near Centre", local_authority=school.local_authority)  # 2.2 miles from B91 3SX
    client.force_login(member(Role.SCHOOL_STAFF, school))
    body = client.get(reverse("directory:search")).content.decode()
    assert "From my school (B91 3SX)" in body
    assert 'name="postcode" value="B91 3SX"' in body
    assert "2.2 miles" in body
    # The school may clear the box to search without distances: an empty postcode is not filled in again.
    cleared = client.get(reverse("directory:search"), {"postcode": ""}).content.decode()
    assert "2.2 miles" not in cleared and "Near Centre" in cleared


def test_the_public_gets_no_prefilled_postcode(client):
    at("B93 6DE", name="Near Centre")
    body = client.get(reverse("directory:search")).content.decode()
    assert "From my school" not in body and "2.2 miles" not in body
