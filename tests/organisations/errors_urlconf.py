"""A test-only URL list: the real one plus pages that fail or refuse, to see the error pages."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.urls import include, path

from aphub.core.permissions import require
from aphub.urls import handler400, handler403, handler404, handler500  # noqa: F401


def broken(request):
    raise RuntimeError("secret-internal-detail: the database said no")


def suspicious(request):
    raise SuspiciousOperation("tampered")


def refused(request):
    require(False, "Only the LA can do this")


def bad_page(request):
    return HttpResponse("<html><head><title>Something</title></head><body><p>No heading</p></body></html>")


urlpatterns = [
    path("bad-page/", bad_page),
    path("broken/", broken),
    path("refused/", refused),
    path("suspicious/", suspicious),
    path("", include("aphub.urls")),
]
