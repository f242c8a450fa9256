"""The second factor's pages. Each works without JavaScript: the QR code is an SVG drawn on the server, and the key
is shown as text for those who type it."""

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from aphub.core.web.views import form_page, found_or_404, service_call

from ..access import role_required, signed_in_required
from ..models import LA_ADMINS, User
from . import services
from .forms import WRONG_CODE, WRONG_RECOVERY_CODE, AuthenticatorCodeForm, RecoveryCodeForm
from .services import Outcome


def next_page(request: HttpRequest) -> str:
    """Where the user was going before the second factor was asked for; home when it is not one of our pages."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("organisations:home")


def _locked(request: HttpRequest, until) -> HttpResponse:
    return render(request, "organisations/two_factor/locked.html", {"until": until}, status=403)


def _qr_svg(device) -> str:
    # segno writes an SVG of the otpauth:// URL (the key's only copy outside the database); no image file is kept.
    # A title names it for screen readers; the key below it is the text alternative.
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff", title="QR code of your AP Hub key")
    return mark_safe(svg)  # noqa: S308 (segno's own SVG of a URL we made)


def _after_verified(request: HttpRequest) -> HttpResponse:
    return redirect(next_page(request))


def _code_page(request: HttpRequest, *, recovery: bool) -> HttpResponse:
    if services.is_verified(request):
        return _after_verified(request)
    user = request.user
    if not services.has_second_factor(user):
        return redirect("organisations:two-factor-set-up")
    until = services.locked_until(user)
    if until is not None:
        return _locked(request, until)
    form_class = RecoveryCodeForm if recovery else AuthenticatorCodeForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        checked = services.check_code(request=request, code=form.cleaned_data["code"], recovery=recovery)
        if checked.outcome is Outcome.VERIFIED:
            if recovery:
                messages.warning(
                    request,
                    "You used a recovery code: it will not work again. If you lost your phone, ask your LA admin to "
                    "reset your second factor.",
                )
            return _after_verified(request)
        if checked.outcome is Outcome.LOCKED:
            return _locked(request, services.locked_until(User.objects.get(pk=user.pk)))
        form.add_error("code", WRONG_RECOVERY_CODE if recovery else WRONG_CODE)
    template = "organisations/two_factor/recovery.html" if recovery else "organisations/two_factor/code.html"
    return form_page(
        request,
        template,
        form,
        status=400 if form.errors else 200,
        next=next_page(request),
        # The button for a security key or passkey, for those who added one (shown by the library's script).
        security_key_config=browser_config(request) if services.has_security_key(user) else None,
    )


@never_cache
@signed_in_required
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """After the password: the code of the authenticator app."""
    return _code_page(request, recovery=False)


@never_cache
@signed_in_required
@require_http_methods(["GET", "POST"])
def recovery(request: HttpRequest) -> HttpResponse:
    """After the password, without the phone: one of the recovery codes, once each."""
    return _code_page(request, recovery=True)


@never_cache
@signed_in_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """The first sign-in: add AP Hub to an authenticator app (QR code or key) and confirm it with a code."""
    user = request.user
    if services.has_second_factor(user):
        return redirect("organisations:home" if services.is_verified(request) else "organisations:two-factor-code")
    until = services.locked_until(user)
    if until is not None:
        return _locked(request, until)
    device = services.unconfirmed_authenticator(user)
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form):
            checked = services.confirm_authenticator(request=request, code=form.cleaned_data["code"])
            if checked.outcome is Outcome.VERIFIED:
                request.session[services.NEW_RECOVERY_CODES_SESSION_KEY] = checked.recovery_codes
                request.session["aphub_after_set_up"] = next_page(request)
                return redirect("organisations:two-factor-recovery-codes")
            if checked.outcome is Outcome.LOCKED:
                return _locked(request, services.locked_until(User.objects.get(pk=user.pk)))
            form.add_error("code", WRONG_CODE)
    return form_page(
        request,
        "organisations/two_factor/set_up.html",
        form,
        status=400 if form.errors else 200,
        qr_svg=_qr_svg(device),
        key=services.key_in_base32(device),
        next=next_page(request),
    )


@never_cache
@signed_in_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The set-up's recovery codes, shown on this response only (they leave the session as it is rendered)."""
    codes = request.session.pop(services.NEW_RECOVERY_CODES_SESSION_KEY, None)
    after = request.session.pop("aphub_after_set_up", None) or reverse("organisations:home")
    if not codes:
        return redirect(after)
    response = render(request, "organisations/two_factor/recovery_codes.html", {"codes": codes, "after": after})
    response["Cache-Control"] = "no-store"
    return response


# --- Security keys and passkeys (decision 0044) --------------------------------------------------------------------


def browser_config(request: HttpRequest) -> dict:
    """What django-otp-webauthn's script needs: our endpoints (security_keys.py), the CSRF token, and where the
    page keeps `next` (the script sends it on, so a key verifies the session and goes where the code page would)."""
    return {
        "csrfToken": get_token(request),
        "beginRegistrationUrl": reverse("organisations:security-key-add-begin"),
        "completeRegistrationUrl": reverse("organisations:security-key-add-complete"),
        "beginAuthenticationUrl": reverse("organisations:security-key-verify-begin"),
        "completeAuthenticationUrl": reverse("organisations:security-key-verify-complete"),
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "#security-key-next",
    }


@never_cache
@signed_in_required
def security_keys(request: HttpRequest) -> HttpResponse:
    """The signed-in user's security keys and passkeys: add one (with JavaScript, as WebAuthn is a browser call) or
    remove one."""
    return render(
        request,
        "organisations/two_factor/security_keys.html",
        {"keys": list(services.security_keys_of(request.user)), "security_key_config": browser_config(request)},
    )


@signed_in_required
@require_http_methods(["GET", "POST"])
def remove_security_key(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure"; the POST from that page removes the key. Another account's key is a 404."""
    device = found_or_404(services.security_keys_of(request.user).filter(pk=pk).first(), "security key")
    if request.method == "POST":
        with service_call(request) as call:
            services.remove_security_key(request=request, device=device)
            return call.done(f"{device.name} removed. It no longer signs you in.", "organisations:security-keys")
        return redirect("organisations:security-keys")
    return render(
        request,
        "components/confirm.html",
        {
            "heading": f"Are you sure you want to remove {device.name}?",
            "caption": "Security keys and passkeys",
            "changes": [
                f"{device.name} stops working as your second factor in AP Hub.",
                "Your authenticator app and recovery codes still work.",
            ],
            "warning": "If the key was lost or stolen, also tell your LA admin.",
            "action": reverse("organisations:security-key-remove", kwargs={"pk": device.pk}),
            "button": "Remove security key",
            "back": reverse("organisations:security-keys"),
        },
    )


# --- An LA admin resets a colleague's second factor --------------------------------------------------------------


@role_required(LA_ADMINS)
def team_second_factors(request: HttpRequest) -> HttpResponse:
    """The people of the LA, its schools and providers, and whether each has set up two-factor sign-in."""
    people = services.colleagues_for_reset(request.user)
    with_device = services.with_second_factor(people)
    rows = [(person, person.pk in with_device) for person in people]
    return render(request, "organisations/two_factor/team.html", {"rows": rows})


@role_required(LA_ADMINS)
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says what will change; the POST from that page resets."""
    colleague = found_or_404(services.colleagues_for_reset(request.user).filter(pk=pk).first(), "colleague")
    if request.method == "POST":
        with service_call(request) as call:
            services.reset_second_factor(admin=request.user, colleague=colleague, request=request)
            return call.done(
                f"{colleague.full_name or colleague.email} sets up two-factor sign-in again when they next sign in.",
                "organisations:team-two-factor",
            )
        return redirect("organisations:team-two-factor")
    name = colleague.full_name or colleague.email
    return render(
        request,
        "components/confirm.html",
        {
            "heading": f"Are you sure you want to reset {name}'s second factor?",
            "caption": "Two-factor sign-in",
            "changes": [
                f"{name}'s authenticator app and recovery codes stop working in AP Hub.",
                "When they next sign in, after their password they set up an authenticator app again.",
                "The access log keeps that you reset it.",
            ],
            "warning": "Only do this when you know it is them asking, for example in person or by video call.",
            "action": reverse("organisations:team-two-factor-reset", kwargs={"pk": colleague.pk}),
            "button": "Reset second factor",
            "back": reverse("organisations:team-two-factor"),
        },
    )
