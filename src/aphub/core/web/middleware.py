"""Refuses a request that carries a NUL character, with a sentence a person (or a client) can act on.

No form, search or API field of AP Hub takes a NUL character (a zero byte): it is never typed, only pasted from a
damaged file or sent by a probe. PostgreSQL cannot store one in text, and its driver refuses one even inside a search
("PostgreSQL text fields cannot contain NUL (0x00) bytes"), which would be a server error; SQLite would keep it
silently. Checking here, once, covers every query string, form and JSON body before any view or database sees it.
Uploaded files are not checked here: a PDF or an image holds zero bytes by design, and a CSV file's NUL is named
with its line by aphub.core.files.csv_files.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

NUL = "\x00"
# A NUL inside a JSON string is written \u0000; a raw zero byte is not JSON at all.
_JSON_NUL = (b"\\u0000", b"\x00")
API_PREFIX = "/api/"


def nul_problem(request: HttpRequest) -> str | None:
    """The sentence saying where the request has a NUL character, or None when it has none."""
    if NUL in request.path:
        return "The address has a NUL character (a zero byte), which no page of AP Hub takes"
    if request.path.startswith(API_PREFIX) and request.method in ("POST", "PUT", "PATCH"):
        # Keep the body readable: parsing the form below reads the stream, after which the API (which reads
        # request.body) would fail with a server error on a form-encoded request instead of answering 400.
        request.body  # noqa: B018
    for where, data in (("search or address", request.GET), ("form", request.POST)):
        for name, values in data.lists():
            if NUL in name or any(NUL in value for value in values):
                shown = name.replace(NUL, "")
                return (
                    f'The {where} field "{shown}" has a NUL character (a zero byte), which cannot be stored. '
                    "It usually comes from text pasted from a damaged file: remove it and try again"
                )
    form_body = (request.content_type or "").startswith(("multipart/form-data", "application/x-www-form-urlencoded"))
    if request.method in ("POST", "PUT", "PATCH") and not form_body and any(m in request.body for m in _JSON_NUL):
        return "The request body has a NUL character (a zero byte), written \\u0000 in JSON, which cannot be stored"
    return None


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = nul_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": problem, "errors": [{"field": "request", "message": problem}]}, status=400)
        return render(request, "errors/400.html", {"problem": problem}, status=400)
