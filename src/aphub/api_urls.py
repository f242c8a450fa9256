"""Every machine-readable endpoint lives under /api/: the project's API object (aphub.api) serves them all."""

from django.urls import path

from aphub.api import api

urlpatterns = [path("", api.urls)]  # URL names in the "api" namespace, e.g. "api:openapi-json"
