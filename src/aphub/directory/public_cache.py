"""A short-lived cache of the public search page, for people who are not signed in.

Parents and carers search the directory far more often than providers change it, and the page is the same for
everyone without a session. So a search by someone with no cookies is kept for APHUB_PUBLIC_CACHE_SECONDS (60 by
default) under a key made of the query and a directory version. Anything that changes what the public sees (an
approval, an archive, a placement that takes or frees a place) bumps the version, so the next search is fresh. With
several web processes and the default per-process cache, another process may show the old page until its copy
expires: at most a minute of a vacancy count, the same freshness the Open Referral UK API promises (max-age=300).
Set REDIS_URL to share one cache between processes.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

VERSION_KEY = "aphub:directory-version"


def _seconds() -> int:
    return int(getattr(settings, "APHUB_PUBLIC_CACHE_SECONDS", 60))


def cacheable(request: HttpRequest) -> bool:
    """Only a plain GET from someone with no cookies at all: no session, no messages, no CSRF token to hand out."""
    return request.method == "GET" and not request.COOKIES and not request.user.is_authenticated and _seconds() > 0


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None) or 1


def _key(request: HttpRequest) -> str:
    query = "&".join(sorted(f"{name}={value}" for name, values in request.GET.lists() for value in values))
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"aphub:search:{_version()}:{digest}"


def cached_page(request: HttpRequest) -> HttpResponse | None:
    body = cache.get(_key(request))
    if body is None:
        return None
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def keep_page(request: HttpRequest, response: HttpResponse) -> None:
    if response.status_code == 200:
        cache.set(_key(request), response.content, _seconds())


def directory_changed() -> None:
    """Call after anything that changes the public directory or its vacancies."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet, or it expired from a size-limited cache
        cache.set(VERSION_KEY, 2, None)
