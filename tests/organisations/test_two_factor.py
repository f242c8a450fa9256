"""Two-factor sign-in (issue 15, decision 0042): set-up at first sign-in, the code page, single-use recovery codes,
the lockout, the JSON API's two paths and the security log. The walk of every URL is tests/access/
test_second_factor_required.py; the LA admin's reset is test_two_factor_reset.py."""

import base64
import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aphub.audit.models import SecurityEvent
from aphub.organisations.models import Role
from aphub.organisations.services import issue_api_token
from aphub.organisations.two_factor.services import current_code
from tests.factories import LocalAuthorityFactory, member
from tests.two_factor import code_now, fresh_code, give_authenticator, sign_in_unverified

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("organisations:sign-in")
SET_UP = reverse("organisations:two-factor-set-up")
CODE = reverse("organisations:two-factor-code")
RECOVERY = reverse("organisations:two-factor-recovery")
RECOVERY_CODES = reverse("organisations:two-factor-recovery-codes")
HOME = reverse("organisations:home")
PUPILS = reverse("placements:pupils")
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def officer():
    return member(Role.LA_OFFICER, LocalAuthorityFactory())


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user_id=user.pk).order_by("id").values_list("kind", flat=True))


def key_shown(body: str) -> str:
    key = re.search(r'data-totp-key="([A-Z2-7 ]+)"', body).group(1).replace(" ", "")
    return base64.b32decode(key + "=" * (-len(key) % 8)).hex()


def test_the_first_sign_in_sets_up_an_authenticator_then_shows_the_recovery_codes_once(client, officer):
    response = client.post(SIGN_IN, {"username": officer.email, "password": "correct-horse-battery", "next": PUPILS})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(SET_UP)
    body = response.content.decode()
    # The QR code is an SVG in the page (no JavaScript, no image request); the key is there as text too.
    assert "<svg" in body and 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body
    key_hex = key_shown(body)
    assert key_shown(client.get(SET_UP).content.decode()) == key_hex, "a refreshed page keeps the key already scanned"

    wrong = client.post(
        f"{SET_UP}?next={PUPILS}", {"code": "000000" if current_code(key_hex) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "govuk-error-summary" in wrong.content.decode()

    response = client.post(f"{SET_UP}?next={PUPILS}", {"code": current_code(key_hex)})
    assert response["Location"] == RECOVERY_CODES
    page = client.get(RECOVERY_CODES)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(codes) == 10
    assert "no-store" in page["Cache-Control"]
    assert re.search(r'href="/pupils/"', page.content.decode()), "it goes on to where the user was going"
    # Shown once: the next visit has no codes to show.
    assert client.get(RECOVERY_CODES).status_code == 302
    assert client.get(PUPILS).status_code == 200
    assert kinds(officer) == ["signed-in", "2fa-failed", "2fa-set-up"]


def test_a_set_up_account_enters_its_code_after_the_password(client, officer):
    device = give_authenticator(officer)
    client.post(SIGN_IN, {"username": officer.email, "password": "correct-horse-battery"})
    response = client.get(PUPILS)
    assert response["Location"] == f"{CODE}?next=%2Fpupils%2F"
    page = client.get(response["Location"])
    assert 'autocomplete="one-time-code"' in page.content.decode()
    response = client.post(f"{CODE}?next=%2Fpupils%2F", {"code": fresh_code(device)})
    assert response["Location"] == PUPILS
    assert client.get(PUPILS).status_code == 200
    assert kinds(officer) == ["signed-in", "2fa-verified"]


def test_the_role_s_links_show_only_once_the_code_is_entered(client, officer):
    # Before the code every role's page sends the user back to it: the navigation offers none of them.
    device = give_authenticator(officer)
    client.post(SIGN_IN, {"username": officer.email, "password": "correct-horse-battery"})
    code_page = client.get(CODE).content.decode()
    assert f'href="{PUPILS}"' not in code_page and "Sign out" in code_page and "Find AP" in code_page
    client.post(CODE, {"code": fresh_code(device)})
    assert f'href="{PUPILS}"' in client.get(HOME).content.decode()


def test_a_code_is_taken_once(client, officer):
    device = give_authenticator(officer)
    code = fresh_code(device)
    sign_in_unverified(client, officer)
    assert client.post(CODE, {"code": code}).status_code == 302
    client.post(reverse("organisations:sign-out"))
    sign_in_unverified(client, officer)
    assert client.post(CODE, {"code": code}).status_code == 400, "a code seen once (shoulder-surfed) is spent"


def test_the_code_page_never_takes_another_site_as_next(client, officer):
    device = give_authenticator(officer)
    sign_in_unverified(client, officer)
    response = client.post(f"{CODE}?next=https://evil.example/", {"code": fresh_code(device)})
    assert response["Location"] == HOME


def test_a_recovery_code_works_once(client, officer):
    give_authenticator(officer)
    from aphub.organisations.two_factor.services import new_recovery_codes

    codes = new_recovery_codes(officer)
    sign_in_unverified(client, officer)
    assert client.post(RECOVERY, {"code": codes[0].upper()}).status_code == 302
    assert client.get(PUPILS).status_code == 200
    assert StaticToken.objects.filter(device__user=officer).count() == 9
    client.post(reverse("organisations:sign-out"))
    sign_in_unverified(client, officer)
    response = client.post(RECOVERY, {"code": codes[0]})
    assert response.status_code == 400
    assert "not used" in response.content.decode()
    assert client.get(PUPILS).status_code == 302
    assert "2fa-recovery-used" in kinds(officer)


def test_five_wrong_codes_sign_the_user_out_and_codes_are_refused_for_30_minutes(client, officer):
    device = give_authenticator(officer)
    with time_machine.travel(START, tick=False) as clock:
        sign_in_unverified(client, officer)
        wrong = "123456" if current_code(device.key) != "123456" else "654321"
        for _ in range(4):
            assert client.post(CODE, {"code": wrong}).status_code == 400
        locked = client.post(CODE, {"code": wrong})
        assert locked.status_code == 403
        assert "Too many wrong codes" in locked.content.decode()
        assert "_auth_user_id" not in client.session, "the fifth wrong code signs the user out"

        clock.shift(datetime.timedelta(minutes=29))
        sign_in_unverified(client, officer)
        refused = client.post(CODE, {"code": fresh_code(device)})
        assert refused.status_code == 403, "even the right code is refused while locked"
        assert client.get(PUPILS).status_code == 302

        clock.shift(datetime.timedelta(minutes=2))
        assert client.post(CODE, {"code": fresh_code(device)}).status_code == 302
        assert client.get(PUPILS).status_code == 200
    assert kinds(officer) == [
        "signed-in",
        *["2fa-failed"] * 5,
        "2fa-locked-out",
        "signed-out",
        "signed-in",
        "2fa-verified",
    ]


def test_the_security_log_never_keeps_a_code(client, officer):
    device = give_authenticator(officer)
    sign_in_unverified(client, officer)
    client.post(CODE, {"code": "987650"})
    code = fresh_code(device)
    client.post(CODE, {"code": code})
    for event in SecurityEvent.objects.all():
        assert "987650" not in str(event.__dict__) and code not in str(event.__dict__)


def test_an_unverified_session_gets_401_from_the_api_not_a_redirect(client, officer):
    give_authenticator(officer)
    sign_in_unverified(client, officer)
    response = client.get("/api/placements/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_a_verified_session_reads_the_api(client, officer):
    client.force_login(officer)
    assert client.get("/api/placements/").status_code == 200


def test_an_api_token_needs_no_code_but_issuing_one_needs_a_verified_session(client):
    provider_staff = member(Role.PROVIDER_STAFF, _provider())
    token = issue_api_token(membership=provider_staff.memberships.get(), name="MIS").plaintext
    # A machine client: the token alone, no session, no code.
    assert client.get("/api/placements/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    # The same token sent from a browser whose session has no second factor is still the token's request...
    sign_in_unverified(client, provider_staff)
    assert client.get("/api/placements/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    # ...and a bad token never falls back on that session.
    assert client.get("/api/placements/", HTTP_AUTHORIZATION="Bearer aph_wrong").status_code == 401
    # Issuing a token is a page like any other: the code first.
    response = client.post(reverse("organisations:api-tokens"), {"name": "Another", "valid_days": 90})
    assert response.status_code == 302 and response["Location"].startswith(SET_UP)
    assert provider_staff.memberships.get().api_tokens.count() == 1


def _provider():
    from tests.factories import ProviderFactory

    return ProviderFactory()


def test_the_demo_key_gives_the_code_an_authenticator_app_shows(officer):
    from aphub.demo.build import DEMO_TOTP_KEY
    from aphub.organisations.two_factor.services import add_authenticator

    device = add_authenticator(user=officer, key_base32=DEMO_TOTP_KEY)
    assert device.verify_token(code_now(officer))
    assert TOTPDevice.objects.get(user=officer).config_url.startswith("otpauth://totp/AP%20Hub%3A")
