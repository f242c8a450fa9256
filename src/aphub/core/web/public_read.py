"""What every public, no-sign-in read API (the Open Referral UK directory, the OCDS feed) answers with."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

# Public data changes when an LA officer approves or publishes something; 5 minutes is fresh enough.
PUBLIC_CACHE = "public, max-age=300"


def public_read_headers(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any site may read the data from a browser (CORS), and caches may keep successful answers for a while.

    Add it to a ninja router with `mode="view"`, so that 400 and 404 answers get the headers too."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = PUBLIC_CACHE if response.status_code == 200 else "no-cache"
        return response

    return wrapper
