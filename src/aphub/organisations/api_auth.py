"""Bearer-token authentication for machine clients (school MIS, provider systems) on the django-ninja API.

    from aphub.organisations.api_auth import ApiTokenAuth
    api = NinjaAPI(auth=ApiTokenAuth())   # or @router.get(..., auth=ApiTokenAuth())

A request carries `Authorization: Bearer aph_...`. We look up the SHA-256 digest (the plaintext is never stored),
refuse revoked and expired tokens and inactive users, then act as the token's membership: `request.user` is the
person who issued it and `request.user.membership` the organisation and role, so every `visible_to(user)` scope
applies to the API exactly as to the pages.
"""

import datetime

from django.http import HttpRequest
from ninja.security import HttpBearer

from aphub.core.clock import now

from .models import ApiToken

# Writing last_used_at on every call would make each read a write; once a minute is enough to spot idle tokens.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def user_for_token(plaintext: str):
    """The user (with `.membership` set) a live token acts for, else None."""
    if not plaintext or len(plaintext) > 200:
        return None
    token = (
        ApiToken.objects.select_related(
            "membership__user",
            "membership__local_authority",
            "membership__school__local_authority",
            "membership__provider__local_authority",
        )
        .filter(digest=ApiToken.digest_of(plaintext))
        .first()
    )
    moment = now()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= moment:
        return None
    user = token.membership.user
    if not user.is_active:
        return None
    if token.last_used_at is None or moment - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    user.membership = token.membership
    return user


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is None:
            return None  # ninja answers 401
        request.user = user
        return user
