"""The project's JSON API, mounted at /api/ with its OpenAPI document at /api/openapi.json and docs at /api/docs.

Each app adds its router here. Errors are JSON everywhere: a 400 names the field that was wrong, a 404 says what
was not found, so a machine client never sees an HTML error page or a 500 for bad input.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import DocsBase
from ninja.operation import PathView

from aphub.commissioning.ocds.api import router as ocds_router
from aphub.core.errors import DomainError, NotPermitted
from aphub.directory.oruk_api import router as oruk_router
from aphub.placements.api import router as placements_router
from aphub.placements.attendance.api import router as attendance_router
from aphub.placements.school_arranged.api import router as school_arranged_router


class GovukDocs(DocsBase):
    """The docs page as a GOV.UK page drawn from the OpenAPI document, rather than Swagger UI: it works without
    JavaScript, loads nothing from a CDN (our CSP allows only 'self') and keeps the accessibility bar of every page."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return docs_page(request, api)


def docs_page(request: HttpRequest, api: NinjaAPI) -> HttpResponse:
    document = api.get_openapi_schema()
    groups: dict[str, list[dict]] = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            tag = (operation.get("tags") or ["General"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": operation.get("parameters", []),
                }
            )
    context = {
        "title": api.title,
        "description": api.description,
        "openapi_url": reverse(f"{api.urls_namespace}:openapi-json"),
        "groups": [{"name": name, "operations": operations} for name, operations in groups.items()],
    }
    return render(request, "api/docs.html", context)


api = NinjaAPI(
    title="AP Hub API",
    version="1",
    description=(
        "Machine-readable access to AP Hub. The endpoints under /api/oruk/ publish the public directory of "
        "alternative provision in the Open Referral UK format (HSDS 3.0 UK profile); they need no sign-in."
    ),
    urls_namespace="api",
    docs=GovukDocs(),
)
api.add_router("/oruk/", oruk_router)
api.add_router("/", placements_router)
api.add_router("/attendance/", attendance_router)
api.add_router("/", school_arranged_router)
api.add_router("/ocds/", ocds_router)


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
    # A DomainErrors names each rule broken; any other DomainError is one.
    errors = [{"field": each.field or "request", "message": each.message} for each in getattr(exc, "errors", [exc])]
    return api.create_response(request, {"detail": exc.message, "errors": errors}, status=400)


@api.exception_handler(NotPermitted)
def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    # The caller is known but may not do this: 403, the same answer the pages give, whichever app refused.
    return api.create_response(request, {"detail": exc.message, "errors": []}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


def _method_not_allowed(self: PathView) -> HttpResponse:
    """A 405 in JSON, like every other API answer: django-ninja's own is a text/html 'Method not allowed'."""
    allowed = sorted({method for operation in self.operations for method in operation.methods})
    response = JsonResponse({"detail": f"Use {' or '.join(allowed)} here"}, status=405)
    response["Allow"] = ", ".join(allowed)
    return response


PathView._not_allowed = _method_not_allowed  # type: ignore[method-assign]
