"""axe-core finds no WCAG 2.2 A/AA violation on the LA admin's team pages (decision 0027): the list, adding a
colleague (with every error at once), changing a role and the "are you sure" before removing one; the whole walk
(test_accessibility.py) opens them too."""

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from tests.browser.test_accessibility import ROLE_SIGN_INS, audit, report, sign_in  # noqa: F401 (audit: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_team_pages_have_no_accessibility_violations(audit):  # noqa: F811
    page = audit.page
    sign_in(audit, ROLE_SIGN_INS[Role.LA_ADMIN])
    response = page.goto(audit.base_url + reverse("organisations:team"))
    assert response is not None and response.status == 200
    audit.check("la-admin team")

    with page.expect_navigation():
        page.get_by_role("link", name="Add a colleague").click()
    audit.check("la-admin add a colleague")
    page.fill("#id_email", "not an address")
    with page.expect_navigation():
        page.get_by_role("button", name="Add colleague").click()
    assert page.locator(".govuk-error-summary").count()
    audit.check("la-admin add a colleague (errors)")

    page.fill("#id_email", "robin.ash@example.org")
    page.fill("#id_full_name", "Robin Ash")
    page.get_by_label("Finance officer").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add colleague").click()
    assert page.get_by_text("Robin Ash is now Finance officer").count()
    audit.check("la-admin team (added)")

    with page.expect_navigation():
        page.get_by_role("link", name="Change role of Robin Ash").click()
    audit.check("la-admin change a role")
    page.goto(audit.base_url + reverse("organisations:team"))
    with page.expect_navigation():
        page.get_by_role("link", name="Remove Robin Ash").click()
    assert page.get_by_text("Are you sure you want to remove Robin Ash?").count()
    audit.check("la-admin remove a colleague (are you sure)")
    report(audit)
