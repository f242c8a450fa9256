"""Second factors: set-up, checking a code, the lockout and an LA admin's reset. Never log or keep a code typed."""

import base64
import datetime
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import cast

from django.contrib.auth import logout
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from aphub.core.clock import now
from aphub.core.errors import NotPermitted

from ..models import LA_ADMINS, Membership, User
from ..queries import membership_of
from ..signals import second_factor_event, team_changed

# The session holds the persistent id of the device that verified it (or, in the tests' forced sign-ins, a note
# saying so: tests/conftest.py). Its presence is what "verified" means to the middleware: one dictionary look-up,
# no query, so no page's query budget changes.
VERIFIED_SESSION_KEY = "aphub_second_factor"
# The recovery codes of a set-up just finished, shown once on the next page and then dropped from the session.
NEW_RECOVERY_CODES_SESSION_KEY = "aphub_new_recovery_codes"

RECOVERY_CODE_COUNT = 10
# NCSC and OWASP: lock after a handful of wrong codes, for long enough to make guessing a 6-digit code hopeless
# (5 guesses per 30 minutes is 240 a day, against a million codes).
MAX_WRONG_CODES = 5
LOCKOUT = datetime.timedelta(minutes=30)

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


class Event(StrEnum):
    """The security log's kinds for the second factor (audit.SecurityEvent.Kind has the same values)."""

    SET_UP = "2fa-set-up"
    VERIFIED = "2fa-verified"
    FAILED = "2fa-failed"
    LOCKED_OUT = "2fa-locked-out"
    RECOVERY_CODE_USED = "2fa-recovery-used"
    RESET = "2fa-reset"
    SECURITY_KEY_ADDED = "2fa-key-added"
    SECURITY_KEY_REMOVED = "2fa-key-removed"
    SECURITY_KEY_VERIFIED = "2fa-key-verified"
    SECURITY_KEY_FAILED = "2fa-key-failed"


def _event(kind: Event, *, request: HttpRequest | None, user: User) -> None:
    second_factor_event.send(sender=User, kind=kind.value, request=request, user=user)


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(VERIFIED_SESSION_KEY))


def mark_verified(session, device_id: str) -> None:
    session[VERIFIED_SESSION_KEY] = device_id


def authenticator_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_of(user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def locked_until(user: User) -> datetime.datetime | None:
    """When the lockout ends, while it lasts; else None."""
    until = user.second_factor_locked_until
    return until if until is not None and until > now() else None


def unconfirmed_authenticator(user: User) -> TOTPDevice:
    """The authenticator being set up: the same key on every visit until it is confirmed, so a refreshed page does
    not invalidate the key already scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def key_in_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of four for reading aloud."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def current_code(key_hex: str) -> str:
    """The code an authenticator app shows now for this key (the tests, the load run and the demo's notes use it)."""
    totp = TOTP(bytes.fromhex(key_hex))
    return f"{totp.token():06d}"


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


class Outcome(Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    LOCKED = "locked"  # this attempt locked the account (and signed it out), or it was locked already


@dataclass(frozen=True)
class CodeChecked:
    outcome: Outcome
    recovery_codes: list[str] | None = None  # a set-up's new recovery codes, to show once


def _wrong_code(request: HttpRequest, user: User, *, kind: Event = Event.FAILED) -> CodeChecked:
    """Count a wrong code (or a refused security key); the fifth in a row locks the account for LOCKOUT and signs it
    out."""
    User.objects.filter(pk=user.pk).update(second_factor_failures=F("second_factor_failures") + 1)
    user.refresh_from_db(fields=["second_factor_failures"])
    _event(kind, request=request, user=user)
    if user.second_factor_failures < MAX_WRONG_CODES:
        return CodeChecked(Outcome.WRONG)
    User.objects.filter(pk=user.pk).update(second_factor_failures=0, second_factor_locked_until=now() + LOCKOUT)
    _event(Event.LOCKED_OUT, request=request, user=user)
    logout(request)
    return CodeChecked(Outcome.LOCKED)


def _verified(request: HttpRequest, user: User, device) -> None:
    User.objects.filter(pk=user.pk).update(second_factor_failures=0, second_factor_locked_until=None)
    otp_login(request, device)
    mark_verified(request.session, device.persistent_id)
    # A new session key for the verified session, as Django gives one at sign-in: a key seen before the code was
    # entered must not carry the second factor.
    request.session.cycle_key()


@transaction.atomic
def check_code(*, request: HttpRequest, code: str, recovery: bool = False) -> CodeChecked:
    """Check the code of the signed-in user's authenticator app (or one of their recovery codes) and verify the
    session with it. A recovery code works once."""
    user = cast(User, request.user)  # the views are signed_in_required
    if locked_until(user) is not None:
        return CodeChecked(Outcome.LOCKED)
    device = recovery_codes_of(user) if recovery else authenticator_of(user)
    if device is None or not device.verify_token(_clean(code)):
        return _wrong_code(request, user)
    _verified(request, user, device)
    if recovery:
        _event(Event.RECOVERY_CODE_USED, request=request, user=user)
    else:
        _event(Event.VERIFIED, request=request, user=user)
    return CodeChecked(Outcome.VERIFIED)


def add_authenticator(*, user: User, key_base32: str) -> TOTPDevice:
    """An authenticator app with a key already known (the demo's and the load run's accounts, whose key is printed
    for people and load users to type): confirmed, without the set-up page."""
    key = base64.b32decode(key_base32 + "=" * (-len(key_base32) % 8))
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, key=key.hex(), confirmed=True)


def new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use recovery codes in place of any old ones, shown to their owner once (the set-up's last page)
    and never again: a code used is deleted."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_authenticator(*, request: HttpRequest, code: str) -> CodeChecked:
    """Set-up: the first code from the newly added authenticator app confirms it, verifies the session and makes the
    recovery codes. A wrong code counts towards the lockout as on the code page."""
    user = cast(User, request.user)  # the views are signed_in_required
    if locked_until(user) is not None:
        return CodeChecked(Outcome.LOCKED)
    if has_second_factor(user):
        raise NotPermitted("Your account already has a second factor. Ask your LA admin to reset it.")
    device = unconfirmed_authenticator(user)
    if not device.verify_token(_clean(code)):
        return _wrong_code(request, user)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = new_recovery_codes(user)
    _verified(request, user, device)
    _event(Event.SET_UP, request=request, user=user)
    return CodeChecked(Outcome.VERIFIED, recovery_codes=codes)


def remove_second_factor(*, user: User, request: HttpRequest | None = None) -> None:
    """Forget the account's devices (its security keys and passkeys included) and lockout; its next sign-in sets up a
    new authenticator app."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    # One more reset changes the account's session auth hash: every session it had is signed out at its next request.
    User.objects.filter(pk=user.pk).update(
        second_factor_failures=0, second_factor_locked_until=None, second_factor_resets=F("second_factor_resets") + 1
    )
    _event(Event.RESET, request=request, user=user)


def with_second_factor(users) -> set[int]:
    """The ids of those of `users` who have set up an authenticator app."""
    return set(TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True))


def colleagues_for_reset(admin: User):
    """The accounts an LA admin may reset: everyone working for their LA, its schools and its providers (the
    memberships an LA admin sees), never another LA's."""
    return (
        User.objects.filter(memberships__in=Membership.objects.visible_to(admin))
        .distinct()
        .order_by("full_name", "email", "pk")
    )


@transaction.atomic
def reset_second_factor(*, admin: User, colleague: User, request: HttpRequest | None = None) -> User:
    """An LA admin resets a colleague's second factor (a lost phone): the security log keeps the reset against the
    colleague's account, the access log who did it."""
    admin_membership = membership_of(admin)
    if admin_membership is None or admin_membership.role not in LA_ADMINS:
        raise NotPermitted("Only an LA admin can reset a colleague's second factor.")
    if not colleagues_for_reset(admin).filter(pk=colleague.pk).exists():
        raise NotPermitted("You can only reset the second factor of people who work for your LA.")
    remove_second_factor(user=colleague, request=request)
    team_changed.send(sender=User, user=admin, obj=colleague, verb="change")
    return colleague


# --- Security keys and passkeys (WebAuthn, decision 0044) ---------------------------------------------------------
# Another way to give the second factor, added from a verified session beside the authenticator app, never instead of
# it: the app and the recovery codes stay the way in from a browser or computer without the key.

SECURITY_KEY_NAME = "Security key or passkey"


def security_keys_of(user: User):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_security_key(user: User) -> bool:
    return security_keys_of(user).exists()


def name_for_new_security_key(user: User) -> str:
    """The name a new key is listed under: the lowest number no key of theirs has, so that someone with two can tell
    which one they remove (a count would repeat a number once an earlier key is gone)."""
    taken = set(WebAuthnCredential.objects.filter(user=user).values_list("name", flat=True))
    number = 1
    while f"{SECURITY_KEY_NAME} {number}" in taken:
        number += 1
    return f"{SECURITY_KEY_NAME} {number}"


def security_key_added(*, request: HttpRequest, device: WebAuthnCredential) -> None:
    _event(Event.SECURITY_KEY_ADDED, request=request, user=cast(User, device.user))


@transaction.atomic
def security_key_verified(*, request: HttpRequest, device: WebAuthnCredential) -> None:
    """The browser proved the signed-in user holds one of their keys (py_webauthn checked the signature, the
    challenge, the origin and the counter): verify the session with it, as a right code does."""
    user = cast(User, request.user)
    _verified(request, user, device)
    _event(Event.SECURITY_KEY_VERIFIED, request=request, user=user)


@transaction.atomic
def security_key_refused(*, request: HttpRequest) -> CodeChecked:
    """A key's answer that did not verify counts towards the same lockout as a wrong code."""
    return _wrong_code(request, cast(User, request.user), kind=Event.SECURITY_KEY_FAILED)


@transaction.atomic
def remove_security_key(*, request: HttpRequest, device: WebAuthnCredential) -> None:
    """The signed-in user removes one of their own keys (lost, or given back)."""
    user = cast(User, request.user)
    if device.user_id != user.pk:
        raise NotPermitted("You can only remove your own security keys.")
    device.delete()
    _event(Event.SECURITY_KEY_REMOVED, request=request, user=user)
