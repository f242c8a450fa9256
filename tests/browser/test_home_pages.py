"""Each role signs in, in a real browser, and finds its work for today on its home page: the counts agree with the
database, two of them lead to lists showing as many, and axe finds no WCAG 2.2 A/AA violation on the page nor on
the lists it leads to.

Screenshots of each role's home page are saved under /tmp/aphub-home-<role>.png for a person to look at.
"""

import pytest
from django.urls import reverse

from aphub.demo.build import DEMO_LA_CODE, DEMO_PASSWORD
from aphub.duties.models import Clock
from aphub.organisations.models import Provider, Role, School
from aphub.placements.models import Placement
from tests.axe import axe_violations as violations_on
from tests.demo_snapshot import demo_in_this_test
from tests.organisations.home_lists import LIST_COUNTERS
from tests.two_factor import sign_in_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIGN_INS = {
    Role.LA_OFFICER: "elmbridge.officer@example.org",
    Role.LA_ADMIN: "elmbridge.admin@example.org",
    Role.AUDITOR: "elmbridge.auditor@example.org",
    Role.SCHOOL_STAFF: "school.kingsmead@example.org",
    Role.PROVIDER_STAFF: "provider.greenway@example.org",
}


def expected_from_the_database(role) -> dict[str, int]:
    """A few counts read straight from the tables, not through the queries the home page uses."""
    if role in (Role.LA_OFFICER, Role.LA_ADMIN):
        clocks = Clock.objects.filter(local_authority__la_code=DEMO_LA_CODE)
        return {
            "clocks-breached": clocks.filter(state=Clock.State.BREACHED).count(),
            "clocks-due-soon": clocks.filter(state=Clock.State.DUE_SOON).count(),
            "offers-unanswered": Placement.objects.filter(
                pupil__local_authority__la_code=DEMO_LA_CODE, status=Placement.Status.OFFERED
            ).count(),
        }
    if role == Role.SCHOOL_STAFF:
        kingsmead = School.objects.get(urn="990003")
        on_roll = Placement.objects.filter(pupil__enrolments__school=kingsmead) | Placement.objects.filter(
            commissioning_school=kingsmead
        )
        return {"placements-active": on_roll.filter(status=Placement.Status.ACTIVE).distinct().count()}
    if role == Role.PROVIDER_STAFF:
        greenway = Provider.objects.get(legal_name="Greenway Farm Learning CIC")
        return {
            "offers-waiting": Placement.objects.filter(
                provision__provider=greenway, status=Placement.Status.OFFERED
            ).count()
        }
    return {}


# The two counts each role follows to their lists.
FOLLOWED = {
    Role.LA_OFFICER: ("clocks-breached", "referrals-waiting"),
    Role.LA_ADMIN: ("provisions-waiting", "offers-unanswered"),
    Role.SCHOOL_STAFF: ("placements-active", "clocks-due-soon"),
    Role.PROVIDER_STAFF: ("offers-waiting", "evidence-expiring"),
}


@pytest.fixture
def page(live_server, browser):
    demo_in_this_test()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def sign_in(page, base_url: str, email: str) -> None:
    sign_in_in_browser(page, base_url, email, DEMO_PASSWORD)
    assert page.url.endswith(reverse("organisations:home")), f"{email} did not land on the home page"


def axe_violations(page) -> list[str]:
    return [f"[{v['impact']}] {v['id']}: {v['help']}" for v in violations_on(page)]


@pytest.mark.parametrize("role", list(SIGN_INS), ids=str)
def test_each_role_finds_its_work_for_today_on_its_home_page(live_server, page, role):
    sign_in(page, live_server.url, SIGN_INS[role])
    page.screenshot(path=f"/tmp/aphub-home-{role}.png", full_page=True)
    assert axe_violations(page) == []
    header_items = page.locator("#navigation > li")
    assert header_items.count() <= 7

    counts = {
        element.get_attribute("data-work"): (
            int(element.locator("[data-count]").inner_text()),
            element.get_attribute("href"),
        )
        for element in page.locator("a[data-work]").all()
    }
    for key, expected in expected_from_the_database(role).items():
        assert counts[key][0] == expected, f"{key}: the page says {counts[key][0]}, the database {expected}"

    if role == Role.AUDITOR:
        with page.expect_navigation():
            page.get_by_role("link", name="See who looked at or changed children's records in the access log").click()
        assert page.locator("h1").inner_text() == "Access log"
        return

    for key in FOLLOWED[role]:
        count, href = counts[key]
        page.goto(live_server.url + reverse("organisations:home"))
        with page.expect_navigation():
            page.locator(f'a[data-work="{key}"]').click()
        assert page.url.endswith(href), (page.url, href)
        shown = LIST_COUNTERS[key](page.content())
        assert shown == count, f"{key}: {count} on the home page, {shown} in the list at {href}"
        assert count > 0, f"{key}: the demo should give this role something to follow"
        assert axe_violations(page) == [], href

    if role in (Role.LA_OFFICER, Role.SCHOOL_STAFF):
        page.goto(live_server.url + reverse("placements:absences"))  # the list the absence counts lead to
        assert axe_violations(page) == []
