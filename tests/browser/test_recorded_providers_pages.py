"""axe-core finds no WCAG 2.2 A/AA violation on the LA's list of providers its schools recorded and the page naming
one (issue 12, decision 0026), with and without errors; the whole walk (test_accessibility.py) opens them too."""

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from tests.browser.test_accessibility import ROLE_SIGN_INS, audit, report, sign_in  # noqa: F401 (audit: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_recorded_providers_pages_have_no_accessibility_violations(audit):  # noqa: F811
    page = audit.page
    sign_in(audit, ROLE_SIGN_INS[Role.LA_OFFICER])
    response = page.goto(audit.base_url + reverse("placements:recorded-providers"))
    assert response is not None and response.status == 200
    assert page.get_by_text("Not named").count()
    audit.check("la-officer recorded providers")

    with page.expect_navigation():
        page.get_by_role("link", name="Change name").first.click()
    audit.check("la-officer name a provider")
    page.fill("#id_name", "")
    with page.expect_navigation():
        page.get_by_role("button", name="Save names").click()
    assert page.locator(".govuk-error-summary").count()
    audit.check("la-officer name a provider (errors)")

    page.fill("#id_name", "Riverside Learning Centre")
    with page.expect_navigation():
        page.get_by_role("button", name="Save names").click()
    assert page.get_by_text("Riverside Learning Centre").count()
    audit.check("la-officer recorded providers (named)")
    report(audit)
