"""The project's JSON API, mounted at /api/ with its OpenAPI document at /api/openapi.json and docs at /api/docs.

Each app adds its router here. Errors are JSON everywhere: a 400 names the field that was wrong, a 404 says what
was not found, so a machine client never sees an HTML error page or a 500 for bad input.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from aphub.core.errors import DomainError
from aphub.directory.oruk_api import router as oruk_router

api = NinjaAPI(
    title="AP Hub API",
    version="1",
    description=(
        "Machine-readable access to AP Hub. `/api/oruk/` publishes the public directory of alternative provision "
        "in the Open Referral UK (HSDS 3.0 UK profile) format; no sign-in is needed for it."
    ),
    urls_namespace="api",
)
api.add_router("/oruk/", oruk_router)


def _field_name(location: tuple) -> str:
    # Ninja reports ("query", "page") or ("path", "id"); the client only needs the parameter's name.
    names = [str(part) for part in location if part not in ("query", "path", "body", "header", "cookie")]
    return ".".join(names) or "request"


@api.exception_handler(ValidationError)
def bad_parameter(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(tuple(error.get("loc", ()))), "message": str(error.get("msg", "is not valid"))}
        for error in exc.errors
    ]
    detail = "; ".join(f"{error['field']}: {error['message']}" for error in errors) or "The request is not valid"
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


@api.exception_handler(DomainError)
def broken_rule(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = [{"field": exc.field or "request", "message": exc.message}]
    return api.create_response(request, {"detail": exc.message, "errors": errors}, status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)
