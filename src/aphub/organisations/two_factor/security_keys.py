"""Security keys and passkeys (WebAuthn, decision 0044): the JSON endpoints the browser's WebAuthn calls talk to.

django-otp-webauthn does the ceremonies (py_webauthn checks the signature, challenge, origin, relying party and
counter); these subclasses fit them to AP Hub's second factor: a key is added only from a session already verified,
it verifies a session only after the password (never instead of it), a refused key counts towards the same lockout as
a wrong code, and every step goes to the security log. Nothing here works without JavaScript, and nothing needs it:
the authenticator app and the recovery codes stay the way in.
"""

from contextlib import contextmanager
from logging import getLogger
from typing import cast

from django.contrib import messages
from django.http import HttpRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from ..models import User
from . import services
from .services import Outcome
from .views import next_page

logger = getLogger("aphub.security_keys")


class SecurityKeyHelper(WebAuthnHelper):
    """settings.OTP_WEBAUTHN_HELPER_CLASS: names each new key so its owner can tell two apart."""

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        device.name = services.name_for_new_security_key(user)
        return device


class AccountLocked(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "locked"
    default_detail = "You entered too many wrong codes. Wait 30 minutes, then sign in again."


class SessionNotVerified(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "not_verified"
    default_detail = "Enter the code from your authenticator app before you add a security key."


@contextmanager
def _ceremony():
    """A browser's answer that is not the shape WebAuthn gives (valid JSON, wrong structure) is a 400, never a 500;
    py_webauthn's own refusals become the library's 4xx answers."""
    try:
        with rewrite_exceptions(logger=logger):
            yield
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise exceptions.MalformedRequest(detail="The security key's answer was not understood.") from error


def _signed_in(request: HttpRequest) -> User:
    if not request.user.is_authenticated:
        # Only after the password: AP Hub has no sign-in by key alone (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN False).
        raise exceptions.NotAuthenticated()
    return cast(User, request.user)


class _Adding:
    """Adding a key: only from a session that has already given its second factor, so a stolen password cannot add
    the thief's key (the library would let an account with no device add one unverified)."""

    def _check_user_verified(self, user) -> None:
        if not services.is_verified(self.request):  # type: ignore[attr-defined]
            raise SessionNotVerified()


@method_decorator(never_cache, name="dispatch")
class BeginAdding(_Adding, BeginCredentialRegistrationView):
    pass


@method_decorator(never_cache, name="dispatch")
class CompleteAdding(_Adding, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        with _ceremony():
            device = self.get_helper().register_complete(user=user, state=state, data=self.request.data)
        services.security_key_added(request=self.request, device=device)
        # Shown when the page reloads to list the new key (assets/js/app.mjs).
        messages.success(self.request, f"{device.name} added. Use it after your password from now on.")
        return JsonResponse({"id": device.pk})


class _Verifying:
    def check_can_authenticate(self) -> None:
        user = _signed_in(self.request)  # type: ignore[attr-defined]
        if services.locked_until(user) is not None:
            raise AccountLocked()


@method_decorator(never_cache, name="dispatch")
class BeginVerifying(_Verifying, BeginCredentialAuthenticationView):
    pass


@method_decorator(never_cache, name="dispatch")
class CompleteVerifying(_Verifying, CompleteCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        user = _signed_in(self.request)
        state = self.get_state()
        try:
            with _ceremony():
                # Refuses a key of another account (CredentialUserMismatch) before checking its signature.
                device = self.get_helper().authenticate_complete(user=user, state=state, data=self.request.data)
            self.check_device_usable(device)
        except (exceptions.UnprocessableEntity, exceptions.CredentialNotFound, exceptions.CredentialUserMismatch):
            if services.security_key_refused(request=self.request).outcome is Outcome.LOCKED:
                raise AccountLocked() from None
            raise
        services.security_key_verified(request=self.request, device=device)
        # Where the user was going, by the code page's own rule.
        return JsonResponse({"id": device.pk, "redirect_url": next_page(self.request)})


# The library's script's few messages ("Verifying...") in the page's language; before the second factor, like the
# code page that loads it.
script_messages = JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])
