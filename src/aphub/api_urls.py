"""Every machine-readable endpoint lives under /api/."""

from django.urls import path

urlpatterns: list = [
    path(
        "oruk/",
        lambda request: __import__("django.http").http.JsonResponse({"version": "3.0"}),
        name="oruk-root",
    ),
]
