"""Two-factor sign-in for the tests, written once (decision 0042).

- `client.force_login(user)` (and every helper built on it) signs in a session that counts as verified:
  `verify_forced_logins` is installed by tests/conftest.py, so the ~6,000 tests that sign in this way test their
  page, not the second factor. Tests of the second factor itself sign in with `sign_in_unverified`.
- `give_authenticator(user)` gives an account a confirmed authenticator app with a known key, and `code_now(user)`
  the code that app shows now, as a person reads it off their phone.
- `enter_second_factor(page, email)` does the browser's part after the password: the set-up page (reading the key
  shown as text) or the code page.
"""

import base64

from django.test.client import ClientMixin

FORCED = "forced sign-in (tests)"
# A known key of 20 bytes, as django-otp makes them.
TEST_KEY_HEX = "03cf4181b93a03cf4181b93a03cf4181b93a03cf"

_original_login = ClientMixin._login


def _verified_login(self, user, backend=None):
    from aphub.organisations.two_factor.services import mark_verified

    _original_login(self, user, backend)
    session = self.session
    mark_verified(session, FORCED)
    session.save()


def verify_forced_logins() -> None:
    ClientMixin._login = _verified_login  # type: ignore[method-assign]


def sign_in_unverified(client, user) -> None:
    """Signed in with the password only: the session has not proved a second factor."""
    from aphub.organisations.two_factor.services import VERIFIED_SESSION_KEY

    _original_login(client, user, client._get_backend())
    session = client.session
    assert VERIFIED_SESSION_KEY not in session


def give_authenticator(user, key_hex: str = TEST_KEY_HEX):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Authenticator app", key=key_hex, confirmed=True)


def fresh_code(device) -> str:
    """The code the app shows now, for a device that may have taken this time step's code already: django-otp takes
    each code once, and tests sign the same account in several times within 30 seconds, as no person does."""
    from aphub.organisations.two_factor.services import current_code

    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    return current_code(device.key)


def code_now(user) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return fresh_code(TOTPDevice.objects.get(user=user, confirmed=True))


def enter_second_factor(page, email: str) -> None:
    """After the password in the browser: confirm a new authenticator app on the set-up page (the key is shown as
    text there), or enter the app's code on the code page. Leaves the page where AP Hub goes next."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from aphub.organisations.two_factor.services import current_code

    path = page.url.split("://", 1)[-1].split("/", 1)[-1]
    path = "/" + path.split("?", 1)[0]
    if path == reverse("organisations:two-factor-set-up"):
        key = page.locator("[data-totp-key]").get_attribute("data-totp-key").replace(" ", "")
        key_hex = base64.b32decode(key + "=" * (-len(key) % 8)).hex()
        page.fill("input[name=code]", current_code(key_hex))
        with page.expect_navigation():
            page.click("form[action*='two-factor'] button[type=submit]")
        with page.expect_navigation():
            page.click("text=I have saved my recovery codes")
    elif path == reverse("organisations:two-factor-code"):
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        page.fill("input[name=code]", fresh_code(device))
        with page.expect_navigation():
            page.click("form[action*='two-factor'] button[type=submit]")


def sign_in_with_code(client, user, password: str = "correct-horse-battery"):
    """Sign in as a person does: the password on the sign-in page, then the authenticator app's code (the account is
    given an app with a known key if it has none). Returns the code page's answer."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_authenticator(user)
    response = client.post(reverse("organisations:sign-in"), {"username": user.email, "password": password})
    assert response.status_code == 302, "the password was refused"
    response = client.post(reverse("organisations:two-factor-code"), {"code": fresh_code(device)})
    assert response.status_code == 302, "the code was refused"
    return response


def sign_in_in_browser(page, base_url: str, email: str, password: str) -> None:
    """The sign-in page's form, then the second factor (enter_second_factor), as a person signs in."""
    from django.urls import reverse

    page.goto(base_url + reverse("organisations:sign-in"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action] button[type=submit], form[action] input[type=submit]")
    enter_second_factor(page, email)
