"""Security keys and passkeys (issue 15, decision 0044): added from a verified session, used after the password
instead of the code, refused (and counted towards the lockout) when the key, the site or the challenge is wrong, and
removed by their owner or by an LA admin's reset. The key is tests/security_keys.py's SoftwareKey: its answers are
checked by py_webauthn as a real key's are. The browser's part is tests/browser/test_security_key_pages.py."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from aphub.audit.models import SecurityEvent
from aphub.organisations.models import Role
from aphub.organisations.two_factor.services import MAX_WRONG_CODES, VERIFIED_SESSION_KEY, reset_second_factor
from tests.factories import LocalAuthorityFactory, SchoolFactory, member
from tests.security_keys import SoftwareKey, stored_security_key
from tests.two_factor import give_authenticator, sign_in_unverified

pytestmark = pytest.mark.django_db

ADD_BEGIN = reverse("organisations:security-key-add-begin")
ADD_COMPLETE = reverse("organisations:security-key-add-complete")
VERIFY_BEGIN = reverse("organisations:security-key-verify-begin")
VERIFY_COMPLETE = reverse("organisations:security-key-verify-complete")
KEYS = reverse("organisations:security-keys")
CODE = reverse("organisations:two-factor-code")
PUPILS = reverse("placements:pupils")


def origin() -> str:
    return settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]


def post_json(client, url: str, data=None):
    return client.post(url, json.dumps(data if data is not None else {}), content_type="application/json")


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user_id=user.pk).order_by("id").values_list("kind", flat=True))


@pytest.fixture
def officer():
    user = member(Role.LA_OFFICER, LocalAuthorityFactory())
    give_authenticator(user)
    return user


def add_key(client, user) -> SoftwareKey:
    """As on the security keys page: a verified session asks for options and sends the key's answer."""
    client.force_login(user)
    key = SoftwareKey()
    options = post_json(client, ADD_BEGIN).json()
    response = post_json(client, ADD_COMPLETE, key.created(options, origin()))
    assert response.status_code == 200, response.content
    return key


def verify_with(client, key: SoftwareKey, *, at: str | None = None, next_page: str = ""):
    options = post_json(client, VERIFY_BEGIN).json()
    url = VERIFY_COMPLETE + (f"?next={next_page}" if next_page else "")
    return post_json(client, url, key.got(options, at or origin()))


def test_a_verified_user_adds_a_key_and_it_is_listed_and_logged(client, officer):
    add_key(client, officer)
    stored = WebAuthnCredential.objects.get(user=officer)
    assert stored.name == "Security key or passkey 1" and stored.confirmed
    page = client.get(KEYS).content.decode()
    assert "Security key or passkey 1" in page and "Security key or passkey 1 added" in page
    assert kinds(officer)[-1] == "2fa-key-added"
    # The options told the browser which keys the account has, so the same key is not added twice.
    options = post_json(client, ADD_BEGIN).json()
    assert len(options["excludeCredentials"]) == 1


def test_a_session_with_only_the_password_cannot_add_a_key(client, officer):
    # Otherwise a stolen password would let the thief add their own key and never need the phone.
    sign_in_unverified(client, officer)
    response = post_json(client, ADD_BEGIN)
    assert response.status_code == 302 and response["Location"].startswith(CODE)
    assert post_json(
        client, ADD_COMPLETE, SoftwareKey().created({"rp": {"id": "localhost"}, "challenge": "x"}, origin())
    )["Location"].startswith(CODE)
    assert not WebAuthnCredential.objects.exists()


def test_after_the_password_the_key_verifies_the_session_instead_of_the_code(client, officer):
    key = add_key(client, officer)
    client.post(reverse("organisations:sign-out"))
    sign_in_unverified(client, officer)
    assert client.get(PUPILS)["Location"].startswith(CODE)
    page = client.get(CODE).content.decode()
    assert 'id="passkey-verification-available-template"' in page and 'id="otp_webauthn_config"' in page

    response = verify_with(client, key, next_page=PUPILS)
    assert response.status_code == 200
    assert response.json()["redirect_url"] == PUPILS
    assert client.session[VERIFIED_SESSION_KEY]
    assert client.get(PUPILS).status_code == 200
    assert kinds(officer)[-1] == "2fa-key-verified"
    assert WebAuthnCredential.objects.get(user=officer).last_used_at is not None


def test_the_code_page_offers_a_key_only_to_those_who_added_one(client, officer):
    sign_in_unverified(client, officer)
    assert "passkey-verification" not in client.get(CODE).content.decode()


def test_the_key_never_signs_in_without_the_password(client, officer):
    key = add_key(client, officer)
    client.post(reverse("organisations:sign-out"))
    response = post_json(client, VERIFY_BEGIN)
    assert response.status_code == 302 and "sign-in" in response["Location"]
    response = post_json(client, VERIFY_COMPLETE, key.got({"rpId": "localhost", "challenge": "x"}, origin()))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert VERIFIED_SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "what",
    ["another account's key", "a look-alike site", "an answer to another challenge", "an unknown key"],
)
def test_a_wrong_answer_is_refused_and_counted_towards_the_lockout(client, officer, what):
    key = add_key(client, officer)
    if what == "another account's key":
        colleague = member(Role.LA_OFFICER, officer.memberships.get().local_authority)
        key = add_key(client, colleague)
    client.post(reverse("organisations:sign-out"))
    sign_in_unverified(client, officer)
    if what == "a look-alike site":
        response = verify_with(client, key, at="https://aphub.example-council.co")
    elif what == "an answer to another challenge":
        post_json(client, VERIFY_BEGIN)
        response = post_json(client, VERIFY_COMPLETE, key.got({"rpId": "localhost", "challenge": "c3RhbGU"}, origin()))
    elif what == "an unknown key":
        response = verify_with(client, SoftwareKey())
    else:
        response = verify_with(client, key)
    assert response.status_code in {403, 404, 422}, response.content
    assert VERIFIED_SESSION_KEY not in client.session
    officer.refresh_from_db()
    assert officer.second_factor_failures == 1
    assert kinds(officer)[-1] == "2fa-key-failed"


def test_an_answer_is_taken_once(client, officer):
    key = add_key(client, officer)
    client.post(reverse("organisations:sign-out"))
    sign_in_unverified(client, officer)
    options = post_json(client, VERIFY_BEGIN).json()
    answer = key.got(options, origin())
    assert post_json(client, VERIFY_COMPLETE, answer).status_code == 200
    # Replayed (a second tab, or someone who captured it): the challenge it answered is spent.
    replayed = post_json(client, VERIFY_COMPLETE, answer)
    assert replayed.status_code == 400 and replayed.json()["code"] == "invalid_state"


def test_refused_keys_lock_the_account_as_wrong_codes_do(client, officer):
    add_key(client, officer)
    client.post(reverse("organisations:sign-out"))
    sign_in_unverified(client, officer)
    stranger = SoftwareKey()
    for _ in range(MAX_WRONG_CODES - 1):
        assert verify_with(client, stranger).status_code == 404
    locked = verify_with(client, stranger)
    assert locked.status_code == 403 and locked.json()["code"] == "locked"
    officer.refresh_from_db()
    assert officer.second_factor_locked_until is not None
    assert "2fa-locked-out" in kinds(officer)
    # Signed out by the lockout; signed in again, the key is refused until the lockout ends.
    sign_in_unverified(client, officer)
    assert post_json(client, VERIFY_BEGIN).json()["code"] == "locked"


@pytest.mark.parametrize(
    "body", ["[]", '"text"', '{"id": 1}', '{"id": "AAAA", "rawId": "AAAA", "response": []}', "{not json"]
)
def test_answers_of_the_wrong_shape_are_a_400_never_a_500(client, officer, body):
    add_key(client, officer)
    client.post(reverse("organisations:sign-out"))
    sign_in_unverified(client, officer)
    post_json(client, VERIFY_BEGIN)
    response = client.post(VERIFY_COMPLETE, body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    client.force_login(officer)
    post_json(client, ADD_BEGIN)
    response = client.post(ADD_COMPLETE, body, content_type="application/json")
    assert 400 <= response.status_code < 500


def test_the_owner_removes_a_key_after_confirming_and_it_stops_working(client, officer):
    key = add_key(client, officer)
    stored = WebAuthnCredential.objects.get(user=officer)
    remove = reverse("organisations:security-key-remove", kwargs={"pk": stored.pk})
    question = client.get(remove)
    assert "Are you sure you want to remove Security key or passkey 1?" in question.content.decode()
    assert WebAuthnCredential.objects.filter(pk=stored.pk).exists(), "the question page changes nothing"
    assert client.post(remove)["Location"] == KEYS
    assert not WebAuthnCredential.objects.filter(pk=stored.pk).exists()
    assert kinds(officer)[-1] == "2fa-key-removed"

    client.post(reverse("organisations:sign-out"))
    sign_in_unverified(client, officer)
    assert verify_with(client, key).status_code == 404


def test_a_new_key_never_takes_the_name_of_one_still_listed(client, officer):
    # Two keys, the first removed (lost), then a new one: the list must still tell the two apart.
    first, second = (
        stored_security_key(officer, name="Security key or passkey 1"),
        stored_security_key(officer, name="Security key or passkey 2"),
    )
    client.force_login(officer)
    client.post(reverse("organisations:security-key-remove", kwargs={"pk": first.pk}))
    add_key(client, officer)
    names = list(WebAuthnCredential.objects.filter(user=officer).values_list("name", flat=True))
    assert len(names) == 2 and len(set(names)) == 2, names
    assert second.name in names


def test_nobody_sees_or_removes_a_colleague_s_key(client, officer):
    colleague = member(Role.LA_ADMIN, officer.memberships.get().local_authority)
    theirs = stored_security_key(colleague, name="YubiKey of Priya")
    client.force_login(officer)
    remove = reverse("organisations:security-key-remove", kwargs={"pk": theirs.pk})
    assert client.get(remove).status_code == 404
    assert client.post(remove).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()
    assert "YubiKey of Priya" not in client.get(KEYS).content.decode()


def test_an_la_admin_s_reset_takes_the_keys_away_too(client, officer):
    la = officer.memberships.get().local_authority
    admin = member(Role.LA_ADMIN, la)
    teacher = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    stored_security_key(teacher)
    reset_second_factor(admin=admin, colleague=teacher)
    assert not WebAuthnCredential.objects.filter(user=teacher).exists()


def test_the_page_works_without_javascript_and_says_what_is_needed(client, officer):
    client.force_login(officer)
    page = client.get(KEYS).content.decode()
    assert "You have not added a security key or passkey." in page
    assert "use a browser with JavaScript turned on" in page
    assert 'id="passkey-registration-placeholder"' in page
