from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("access-log/", views.access_log, name="access-log"),
    path("subject-access/<int:pk>/", views.subject_access, name="subject-access"),
    path("subject-access/<int:pk>.json", views.subject_access_json, name="subject-access-json"),
    path("subject-access/<int:pk>.pdf", views.subject_access_pdf, name="subject-access-pdf"),
]
