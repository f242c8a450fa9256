"""The access log and the subject access export in a browser: no axe violation, with and without filter errors, and
no sideways scrolling at 1020 pixels (a council laptop's browser window beside another)."""

import os

import pytest
from django.urls import reverse

from aphub.demo.build import DEMO_LA_CODE
from aphub.organisations.models import Role
from aphub.pupils.models import Pupil
from tests.browser.test_accessibility import ROLE_SIGN_INS, Audit, report, sign_in
from tests.demo_snapshot import demo_in_this_test

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 1020


@pytest.fixture
def audit(live_server, browser):
    demo_in_this_test()
    context = browser.new_context(base_url=live_server.url, viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Audit(base_url=live_server.url, page=page)
    context.close()


def _fits(audit: Audit, label: str) -> None:
    """No horizontal overflow; APHUB_SCREENSHOTS=<folder> keeps a full-page picture to look at."""
    page = audit.page
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if folder := os.environ.get("APHUB_SCREENSHOTS"):
        page.screenshot(path=f"{folder}/{label}.png", full_page=True, timeout=120_000)
    if overflow > 0:
        audit.violations.append(f"{label}: {overflow} pixels wider than a {WIDTH}-pixel window")


def test_the_access_log_and_subject_access_pages_are_accessible_and_fit_the_window(audit):
    page = audit.page
    sign_in(audit, ROLE_SIGN_INS[Role.LA_ADMIN])
    child = Pupil.objects.filter(local_authority__la_code=DEMO_LA_CODE, placements__status="active").first()
    # Reads that put lists, a child's record and a placement in the log.
    for path in ("/pupils/", "/placements/", "/duties/worklist/", reverse("placements:pupil", kwargs={"pk": child.pk})):
        page.goto(audit.base_url + path)
    placement = child.placements.first()
    page.goto(audit.base_url + reverse("placements:placement", kwargs={"pk": placement.pk}))

    log = reverse("audit:access-log")
    page.goto(audit.base_url + log)
    assert page.locator("text=Pupils list").count() >= 1
    audit.check("access log")
    _fits(audit, "access-log")
    page.locator("details summary").first.click()
    _fits(audit, "access-log-list-open")

    page.goto(audit.base_url + f"{log}?pupil={child.pk}")
    assert page.locator(f"text={child.upn}").count() >= 1
    audit.check("access log filtered by child")
    _fits(audit, "access-log-child")

    page.goto(audit.base_url + f"{log}?date_from_0=31&date_from_1=2&date_from_2=2026&child=Nobody+Atall")
    assert page.locator(".govuk-error-summary").count() == 1
    audit.check("access log (filter errors)")
    _fits(audit, "access-log-errors")

    page.goto(audit.base_url + reverse("audit:subject-access", kwargs={"pk": child.pk}))
    audit.check("subject access export")
    _fits(audit, "subject-access")
    report(audit)
