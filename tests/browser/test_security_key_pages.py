"""A security key or passkey in a real browser (decision 0044): Chromium's virtual authenticator (DevTools' WebAuthn
domain) stands in for the key, so django-otp-webauthn's script, the browser's WebAuthn and our endpoints are tested
together. By keyboard alone: add a key on the security keys page, sign out, sign in with the password and the key
instead of the code, then remove the key. axe checks every page on the way, at full width and at 320 px."""

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from aphub.audit.models import SecurityEvent
from aphub.organisations.models import Role
from tests.browser.test_accessibility import ROLE_SIGN_INS, audit, report  # noqa: F401 (audit: a fixture)
from tests.browser.test_la_admin_pages import open_as
from tests.browser.test_two_factor_pages import password_only

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def virtual_authenticator(page) -> None:
    """A USB security key that is always present and verifies its user (as if touched and its PIN typed)."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def press(page, selector: str) -> None:
    """Move the keyboard's focus to `selector` with Tab, as a keyboard user does, then press Enter."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement && document.activeElement.matches(selector)", selector):
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_security_key_is_added_used_instead_of_the_code_and_removed_by_keyboard(audit, settings, live_server):  # noqa: F811
    # The live server's own address is the origin the key answers (localhost: WebAuthn refuses an IP address).
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    page = audit.page
    email = ROLE_SIGN_INS[Role.SCHOOL_STAFF]
    virtual_authenticator(page)

    open_as(audit, Role.SCHOOL_STAFF, "organisations:security-keys", "security keys (none yet)")
    assert page.get_by_text("You have not added a security key or passkey.").count() == 1
    with page.expect_navigation():  # the page reloads to list the new key
        press(page, "#passkey-register-button")
    page.get_by_text("Security key or passkey 1 added").wait_for()
    audit.check("security keys (one added)")
    assert WebAuthnCredential.objects.filter(user__email=email, confirmed=True).count() == 1

    password_only(audit, email)
    assert page.url.split("?")[0].endswith(reverse("organisations:two-factor-code"))
    page.locator("#passkey-verification-button").wait_for()
    audit.check("enter the code, or use a security key")
    with page.expect_navigation():
        press(page, "#passkey-verification-button")
    assert page.url.split("?")[0].endswith(reverse("organisations:home")), page.url
    assert SecurityEvent.objects.filter(kind="2fa-key-verified", user_email=email).count() == 1

    page.goto(audit.base_url + reverse("organisations:security-keys"))
    with page.expect_navigation():
        press(page, "a[href$='/remove/']")
    audit.check("remove a security key (are you sure)")
    with page.expect_navigation():
        press(page, "form button.govuk-button--warning")
    page.get_by_text("You have not added a security key or passkey.").wait_for()
    assert not WebAuthnCredential.objects.filter(user__email=email).exists()
    report(audit)
