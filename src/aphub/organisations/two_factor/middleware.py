"""Deny by default: a signed-in session that has not proved a second factor reaches only the allow-list below. Every
other URL, a new one included, sends it to the set-up page (no authenticator app yet) or the code page; the JSON API
answers 401 instead, since a machine client cannot follow a form."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from .services import has_second_factor, is_verified

# Pages a session without a second factor may open: signing in and out, the second factor's own pages, and the
# public pages anyone may open without signing in (the directory, published arrangements, the public API).
OPEN_WITHOUT_SECOND_FACTOR = frozenset(
    {
        "organisations:sign-in",
        "organisations:sign-out",
        "organisations:two-factor-set-up",
        "organisations:two-factor-code",
        "organisations:two-factor-recovery",
        # A security key or passkey, instead of the code (it refuses a session without a password: security_keys.py).
        "organisations:security-key-verify-begin",
        "organisations:security-key-verify-complete",
        "organisations:security-key-messages",
        "directory:search",
        "directory:provision",
        "commissioning:public-arrangements",
        "commissioning:public-arrangement",
        "api:openapi-json",
        "api:openapi-view",
        "api:api_info",
        "api:list_services",
        "api:get_service",
        "api:list_service_at_locations",
        "api:get_service_at_location",
        "api:list_organizations",
        "api:get_organization",
        "api:list_taxonomies",
        "api:get_taxonomy",
        "api:list_taxonomy_terms",
        "api:get_taxonomy_term",
        "api:ocds_releases",
    }
)
API_PREFIX = "/api/"
UNVERIFIED_API_ANSWER = {
    "detail": "Enter the code from your authenticator app in AP Hub first, or send an API token "
    "(Authorization: Bearer)."
}


def _url_name(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name


class SecondFactorMiddleware:
    """After SessionExpiryMiddleware (settings.MIDDLEWARE): an expired session is signed out before it gets here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not is_verified(request):
            denied = self._denied(request)
            if denied is not None:
                return denied
        return self.get_response(request)

    def _denied(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if path.startswith(settings.STATIC_URL):
            return None
        if path.startswith(API_PREFIX) and request.headers.get("Authorization", "").startswith("Bearer "):
            # An API token is its own second factor (issued from a verified session, kept by a machine): the request
            # is the token's alone, so a bad token cannot fall back on this unverified session.
            request.user = AnonymousUser()
            return None
        if _url_name(request) in OPEN_WITHOUT_SECOND_FACTOR:
            return None
        if path.startswith(API_PREFIX):
            return JsonResponse(UNVERIFIED_API_ANSWER, status=401)
        page = "organisations:two-factor-code" if has_second_factor(request.user) else "organisations:two-factor-set-up"
        target = reverse(page)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
