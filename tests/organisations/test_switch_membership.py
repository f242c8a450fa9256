import pytest
from django.urls import reverse

from aphub.organisations.models import Membership, Role
from tests.factories import LocalAuthorityFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db

URL = reverse("organisations:switch-membership")


@pytest.fixture
def officer_and_governor():
    la = LocalAuthorityFactory(name="Xenbury Borough Council")
    school = SchoolFactory(name="Ashgrove Academy", local_authority=la)
    user = member(Role.LA_OFFICER, la)
    school_membership = Membership.objects.create(user=user, role=Role.SCHOOL_STAFF, school=school)
    return user, school_membership


def test_a_user_with_several_memberships_switches_between_them(client, officer_and_governor):
    user, school_membership = officer_and_governor
    client.force_login(user)
    assert "LA officer" in client.get(reverse("organisations:home")).content.decode()
    response = client.post(URL, {"membership": school_membership.pk}, follow=True)
    body = response.content.decode()
    assert "School staff, Ashgrove Academy" in body
    assert client.get(reverse("audit:access-log")).status_code == 403


def test_someone_elses_membership_cannot_be_chosen(client, officer_and_governor):
    user, _ = officer_and_governor
    stranger = member(Role.LA_ADMIN, LocalAuthorityFactory())
    client.force_login(user)
    response = client.post(URL, {"membership": stranger.memberships.get().pk})
    assert response.status_code == 400
    assert "Select one of your own organisations" in response.content.decode()
    assert "LA officer" in client.get(reverse("organisations:home")).content.decode()


def test_the_switcher_needs_a_choice(client, officer_and_governor):
    client.force_login(officer_and_governor[0])
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Select the organisation you are working for" in response.content.decode()


def test_the_home_page_offers_the_switch_only_to_people_with_several(client, officer_and_governor):
    client.force_login(officer_and_governor[0])
    assert URL in client.get(reverse("organisations:home")).content.decode()
    client.force_login(member(Role.LA_OFFICER, LocalAuthorityFactory()))
    assert URL not in client.get(reverse("organisations:home")).content.decode()
