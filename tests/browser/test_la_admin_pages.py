"""axe-core finds no WCAG 2.2 A/AA violation on the LA's pages added for issues 12 and 13, with and without errors:
the providers its schools recorded and the page naming one (decision 0026); the LA admin's team pages: the list,
adding a colleague, changing a role and the "are you sure" before removing one (decision 0027). The whole walk
(test_accessibility.py) opens them too."""

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from tests.browser.test_accessibility import ROLE_SIGN_INS, audit, report, sign_in  # noqa: F401 (audit: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_as(audit, role: str, url_name: str, label: str) -> None:  # noqa: F811
    """Sign in as the demo's `role` and check the page named `url_name`."""
    sign_in(audit, ROLE_SIGN_INS[role])
    response = audit.page.goto(audit.base_url + reverse(url_name))
    assert response is not None and response.status == 200
    audit.check(label)


def follow(audit, kind: str, name: str, label: str, *, then: str = "") -> None:  # noqa: F811
    """Press the first link or button called `name`, check that the page it leads to shows `then`, and check it."""
    page = audit.page
    with page.expect_navigation():
        page.get_by_role(kind, name=name).first.click()
    if then:
        assert page.locator(then).count() or page.get_by_text(then).count(), then
    audit.check(label)


def test_the_recorded_providers_pages_have_no_accessibility_violations(audit):  # noqa: F811
    open_as(audit, Role.LA_OFFICER, "placements:recorded-providers", "la-officer recorded providers")
    assert audit.page.get_by_text("Not named").count()
    follow(audit, "link", "Change name", "la-officer name a provider")
    audit.page.fill("#id_name", "")
    follow(audit, "button", "Save names", "la-officer name a provider (errors)", then=".govuk-error-summary")
    audit.page.fill("#id_name", "Riverside Learning Centre")
    follow(audit, "button", "Save names", "la-officer recorded providers (named)", then="Riverside Learning Centre")
    report(audit)


def test_the_team_pages_have_no_accessibility_violations(audit):  # noqa: F811
    page = audit.page
    open_as(audit, Role.LA_ADMIN, "organisations:team", "la-admin team")
    follow(audit, "button", "Add a colleague", "la-admin add a colleague")
    page.fill("#id_email", "not an address")
    follow(audit, "button", "Add colleague", "la-admin add a colleague (errors)", then=".govuk-error-summary")
    page.fill("#id_email", "robin.ash@example.org")
    page.fill("#id_full_name", "Robin Ash")
    page.get_by_label("Finance officer").check()
    follow(audit, "button", "Add colleague", "la-admin team (added)", then="Robin Ash is now Finance officer")
    follow(audit, "link", "Change role of Robin Ash", "la-admin change a role")
    page.goto(audit.base_url + reverse("organisations:team"))
    follow(audit, "link", "Remove Robin Ash", "la-admin remove (are you sure)", then="Are you sure you want to remove")
    report(audit)
