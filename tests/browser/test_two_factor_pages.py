"""axe-core finds no WCAG 2.2 A/AA violation on the second factor's pages (decision 0042), with and without errors:
set-up, the recovery codes shown once, the code page, the recovery-code page, and the LA admin's reset with its
"are you sure". Every other browser test signs in through them too (tests/two_factor.py)."""

import base64

import pytest
from django.urls import reverse

from aphub.demo.build import DEMO_PASSWORD
from aphub.organisations.models import Role
from aphub.organisations.two_factor.services import current_code
from tests.browser.test_accessibility import ROLE_SIGN_INS, audit, report  # noqa: F401 (audit: a fixture)
from tests.browser.test_la_admin_pages import follow, open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def password_only(audit, email: str) -> None:  # noqa: F811
    page = audit.page
    page.context.clear_cookies()
    page.goto(audit.base_url + reverse("organisations:sign-in"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form[action] button[type=submit], form[action] input[type=submit]")


def test_the_second_factor_pages_have_no_accessibility_violations(audit):  # noqa: F811
    page = audit.page
    officer = ROLE_SIGN_INS[Role.LA_OFFICER]
    open_as(audit, Role.LA_ADMIN, "organisations:team-two-factor", "la-admin two-factor of colleagues")
    follow(audit, "link", "Reset second factor of Priya Dhillon", "la-admin reset (are you sure)", then="Are you sure")
    follow(audit, "button", "Reset second factor", "la-admin two-factor (reset)", then="sets up two-factor sign-in")

    password_only(audit, officer)
    assert page.url.split("?")[0].endswith(reverse("organisations:two-factor-set-up"))
    assert page.locator("#qr-code svg").count() == 1
    audit.check("set up two-factor sign-in")
    page.fill("input[name=code]", "12")
    follow(audit, "button", "Continue", "set up two-factor sign-in (errors)", then=".govuk-error-summary")
    key = page.locator("[data-totp-key]").get_attribute("data-totp-key").replace(" ", "")
    page.fill("input[name=code]", current_code(base64.b32decode(key + "=" * (-len(key) % 8)).hex()))
    follow(audit, "button", "Continue", "recovery codes", then="Save your recovery codes")
    follow(audit, "link", "I have saved my recovery codes", "home after set-up")

    password_only(audit, ROLE_SIGN_INS[Role.AUDITOR])
    assert page.url.split("?")[0].endswith(reverse("organisations:two-factor-code"))
    audit.check("enter the code")
    follow(audit, "button", "Continue", "enter the code (errors)", then=".govuk-error-summary")
    follow(audit, "link", "use a recovery code", "enter a recovery code")
    follow(audit, "button", "Continue", "enter a recovery code (errors)", then=".govuk-error-summary")
    report(audit)
