"""The funding page: an LA's lines by financial year with totals by payer and kind, and its double funding; a school
sees the lines it pays; nobody sees another LA's lines."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from aphub.funding.services import plan_funding
from aphub.organisations.models import Role
from tests.factories import (
    EpisodeFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    SchoolFactory,
    member,
    route_for,
)

pytestmark = pytest.mark.django_db
URL = reverse("funding:lines")


@pytest.fixture(autouse=True)
def _in_december_2026():
    with time_machine.travel(datetime.date(2026, 12, 1), tick=False):
        yield


def placement_in(la, *, kind="permanent-exclusion", episode_kind=None, school=None, provision_name=None, **fields):
    pupil = PupilFactory(local_authority=la)
    route = route_for(la, kind)
    episode = EpisodeFactory(pupil=pupil, route=route_for(la, episode_kind or kind), school=school)
    extra = {"provision__name": provision_name} if provision_name else {}
    placement = PlacementFactory(pupil=pupil, episode=episode, route=route, **extra, **fields)
    plan_funding(placement=placement)
    return placement


@pytest.fixture
def borough():
    la = LocalAuthorityFactory(name="Elmbridge Borough Council")
    school = SchoolFactory(local_authority=la, name="Kingsmead School")
    excluded = placement_in(la, provision_name="Horizons Centre", annual_cost="18000.00")
    commissioned = placement_in(
        la,
        kind="short-term-intervention",
        school=school,
        commissioner="school",
        commissioning_school=school,
        provision_name="Bridges Outreach",
        annual_cost="15000.00",
    )
    # A school's off-site direction put on the LA-funded s.19 route: the LA pays a top-up the school should pay.
    doubled = placement_in(
        la,
        kind="other-s19",
        episode_kind="off-site-direction",
        school=school,
        provision_name="Second Step Tuition",
        annual_cost="18000.00",
    )
    return la, school, excluded, commissioned, doubled


def test_an_officer_sees_the_years_totals_by_payer_and_kind(client, borough):
    la, school, excluded, commissioned, doubled = borough
    client.force_login(member(Role.LA_OFFICER, la))
    page = client.get(URL).content.decode()
    assert "2026 to 2027" in page
    # Place funding 10,000 x 142/365 = £3,890.41 for each of three placements; top-ups 8,000 x 142/365 = £3,112.33
    # (twice, by the LA) and 5,000 x 142/365 = £1,945.21 (by Kingsmead).
    assert "£11,671.23" in page  # the LA's place funding
    assert "£6,224.66" in page  # the LA's top-up
    assert "£1,945.21" in page  # Kingsmead's top-up
    assert "£19,841.10" in page  # all payers
    for placement in (excluded, commissioned, doubled):
        assert placement.provision.name in page
        # Each line names its child: the officer may see every child of the LA.
        assert placement.pupil.full_name in page and placement.pupil.upn in page


def test_the_year_can_be_chosen(client, borough):
    la = borough[0]
    client.force_login(member(Role.LA_OFFICER, la))
    page = client.get(URL, {"year": 2027}).content.decode()
    assert "Totals for 2027 to 2028" in page
    assert "£12,540.99" in page  # 3 x 10,000 x 153/366 place funding from 1 April to 31 August 2027


def test_a_year_not_in_the_list_is_an_error_not_a_crash(client, borough):
    client.force_login(member(Role.LA_OFFICER, borough[0]))
    response = client.get(URL, {"year": "1999"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Funding" in page and "Choose a financial year from the list" in page
    assert "Totals for 2026 to 2027" in page


def test_double_funding_is_listed_for_the_la(client, borough):
    la, school, excluded, commissioned, doubled = borough
    client.force_login(member(Role.LA_OFFICER, la))
    page = client.get(URL).content.decode()
    section = page.split("Double funding</h2>", 1)[1].split("<h2", 1)[0]
    assert "Second Step Tuition" in section and "Off-site direction by a school" in section
    assert "Horizons Centre" not in section and "Bridges Outreach" not in section
    assert "£3,112.33" in section  # the LA's top-up for it this year
    assert f'href="{reverse("placements:placement", kwargs={"pk": doubled.pk})}"' in section


def test_a_school_sees_only_the_lines_it_pays(client, borough):
    la, school, excluded, commissioned, doubled = borough
    client.force_login(member(Role.SCHOOL_STAFF, school))
    page = client.get(URL).content.decode()
    assert "Bridges Outreach" in page and "£1,945.21" in page
    assert "Horizons Centre" not in page and "Second Step Tuition" not in page
    assert "Double funding" not in page and "Local authority (High Needs Block)" not in page


def test_another_las_lines_are_never_shown(client, borough):
    other = LocalAuthorityFactory(name="Yarrowdale City Council")
    placement_in(other, provision_name="Yarrow Learning Hub")
    client.force_login(member(Role.LA_ADMIN, borough[0]))
    assert "Yarrow Learning Hub" not in client.get(URL).content.decode()
    client.force_login(member(Role.AUDITOR, other))
    page = client.get(URL).content.decode()
    assert "Yarrow Learning Hub" in page and "Horizons Centre" not in page


def test_provider_staff_cannot_open_the_page(client, borough):
    client.force_login(member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=borough[0])))
    assert client.get(URL).status_code == 403


def test_funding_is_in_the_navigation_of_la_and_school_staff(client, borough):
    la, school = borough[0], borough[1]
    for user in (member(Role.LA_OFFICER, la), member(Role.AUDITOR, la), member(Role.SCHOOL_STAFF, school)):
        client.force_login(user)
        assert f'href="{URL}"' in client.get(reverse("organisations:home")).content.decode()
    client.force_login(member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la)))
    assert f'href="{URL}"' not in client.get(reverse("organisations:home")).content.decode()


def test_long_lists_are_paged(client, borough):
    la = borough[0]
    provision = ProvisionFactory(provider__local_authority=la, name="Meadow Centre")
    for _ in range(25):  # two lines each this year, 50 more lines
        placement_in(la, provision=provision)
    client.force_login(member(Role.LA_OFFICER, la))
    first = client.get(URL).content.decode()
    assert "56 lines" in first and 'aria-label="Page 2"' in first
    assert client.get(URL, {"year": 2026, "page": 2}).status_code == 200
    assert client.get(URL, {"year": 2026, "page": "abc"}).status_code == 200


def test_the_page_needs_the_same_queries_for_many_placements(client, borough, django_assert_max_num_queries):
    la = borough[0]
    client.force_login(member(Role.LA_OFFICER, la))
    client.get(URL)
    provision = ProvisionFactory(provider__local_authority=la)
    for _ in range(10):
        placement_in(la, kind="other-s19", episode_kind="off-site-direction", provision=provision)
    # 14: the page's queries, and the one INSERT of the access-log row naming the children on it.
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    assert response.content.decode().count("Off-site direction by a school") >= 11
