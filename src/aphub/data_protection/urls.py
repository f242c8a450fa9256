from django.urls import path

from . import views
from .retention import RECORD_TYPES

app_name = "audit"

urlpatterns = [
    path("access-log/", views.access_log, name="access-log"),
    path("subject-access/<int:pk>/", views.subject_access, name="subject-access"),
    path("subject-access/<int:pk>.json", views.subject_access_json, name="subject-access-json"),
    path("subject-access/<int:pk>.pdf", views.subject_access_pdf, name="subject-access-pdf"),
    path("retention/", views.retention_schedule, name="retention"),
    path("retention/schedule/", views.retention_schedule_change, name="retention-schedule"),
    path("retention/children/", views.retention_due, name="retention-due"),
    # One address per kind of record (no slug in the URL: there is nothing of another organisation's to ask for).
    *(
        path(f"retention/{key}/erase/", views.retention_erase, {"key": key}, name=f"retention-erase-{key}")
        for key in RECORD_TYPES
    ),
]
