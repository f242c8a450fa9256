"""Each role's home page is its work for today: every count links to the list that holds that work, and the list
shows as many as the count says (the demo's world, as a new user would find it)."""

import pytest
from django.urls import reverse

from aphub.core.clock import today
from aphub.demo.build import DEMO_LA_CODE, build_demo
from aphub.organisations.models import Role, School, User
from aphub.placements.models import AttendanceMark, FollowUp, Placement, Referral
from tests.built_once import built_once
from tests.organisations.home_lists import LIST_COUNTERS, home_counts

pytestmark = pytest.mark.django_db

HOME = reverse("organisations:home")

SIGN_INS = {
    Role.LA_OFFICER: "elmbridge.officer@example.org",
    Role.LA_ADMIN: "elmbridge.admin@example.org",
    Role.SCHOOL_STAFF: "school.kingsmead@example.org",
    Role.PROVIDER_STAFF: "provider.greenway@example.org",
}

LA_WORK = {
    "clocks-breached",
    "clocks-due-soon",
    "referrals-waiting",
    "referrals-deferred",
    "provisions-waiting",
    "applications-waiting",
    "offers-unanswered",
    "reviews-overdue",
    "absence-alerts",
    "follow-ups-due",
}
WORK = {
    Role.LA_OFFICER: LA_WORK,
    Role.LA_ADMIN: LA_WORK,
    Role.SCHOOL_STAFF: {
        "placements-active",
        "absent-today",
        "clocks-breached",
        "clocks-due-soon",
        "referrals-draft",
        "referrals-waiting",
        "referrals-deferred",
    },
    Role.PROVIDER_STAFF: {"offers-waiting", "reviews-overdue", "evidence-expiring"},
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's world, built once for this module's tests, which only read it (tests/built_once.py)."""
    yield from built_once(django_db_blocker, _demo_with_work_of_each_kind)


def _demo_with_work_of_each_kind():
    """The demo's world, with one more of each kind of work it happens to have none of, so no count is 0."""
    build_demo()
    kingsmead = School.objects.get(urn="990003")
    referral = Referral.objects.filter(referring_school=kingsmead, status=Referral.Status.SUBMITTED).first()
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.DEFERRED)
    referral.pk, referral.status, referral.submitted_at = None, Referral.Status.DRAFT, None
    referral.save()
    ended = Placement.objects.filter(pupil__local_authority__la_code=DEMO_LA_CODE, status="ended").first()
    FollowUp.objects.create(placement=ended, weeks_after_exit=52, due_date=today())
    placed = Placement.objects.filter(status="active", pupil__enrolments__school=kingsmead).first()
    AttendanceMark.objects.update_or_create(placement=placed, date=today(), session="AM", defaults={"code": "O"})


@pytest.mark.parametrize("role", list(SIGN_INS), ids=str)
def test_each_count_on_the_home_page_is_what_its_list_shows(client, demo, role):
    client.force_login(User.objects.get(email=SIGN_INS[role]))
    counts = home_counts(client.get(HOME).content.decode())
    assert set(counts) == WORK[role]
    assert all(count for count, _ in counts.values()), counts
    for key, (count, url) in counts.items():
        listed = client.get(url.split("#")[0])
        assert listed.status_code == 200, url
        assert LIST_COUNTERS[key](listed.content.decode()) == count, f"{key}: {count} on the home page, not {url}"


@pytest.mark.parametrize("role", list(SIGN_INS), ids=str)
def test_the_home_page_reads_a_bounded_number_of_queries(client, demo, role, django_assert_max_num_queries):
    """One query a count, give or take the session's: the home page must not grow with the LA's size."""
    client.force_login(User.objects.get(email=SIGN_INS[role]))
    with django_assert_max_num_queries(20):
        assert client.get(HOME).status_code == 200
