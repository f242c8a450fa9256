"""A test-only URL list: the real one plus a page that fails, to see the 500 page."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.urls import include, path

from aphub.urls import handler400, handler403, handler404, handler500  # noqa: F401


def broken(request):
    raise RuntimeError("secret-internal-detail: the database said no")


def suspicious(request):
    raise SuspiciousOperation("tampered")


def bad_page(request):
    return HttpResponse("<html><head><title>Something</title></head><body><p>No heading</p></body></html>")


urlpatterns = [
    path("bad-page/", bad_page),
    path("broken/", broken),
    path("suspicious/", suspicious),
    path("", include("aphub.urls")),
]
