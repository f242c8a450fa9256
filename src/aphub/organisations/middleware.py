"""Session expiry and the signed-in user's current membership."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

from .queries import current_membership

SESSION_STARTED_KEY = "aphub_signed_in_at"


def start_session_clock(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in: the absolute limit counts from sign-in, not from the next page."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())


class SessionExpiryMiddleware:
    """Idle expiry is the session cookie age; this adds an absolute limit from sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = int(time.time())
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?expired=1")
            request.user.membership = current_membership(request.user, request.session)
        return self.get_response(request)
