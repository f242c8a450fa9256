"""The application's URLs plus one trivial view: the floor a Django request costs on this machine."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from aphub.urls import handler400, handler403, handler404, handler500  # noqa: F401
from aphub.urls import urlpatterns as app_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/minimal/", minimal, name="bench-minimal"), *app_urlpatterns]
