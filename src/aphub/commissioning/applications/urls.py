"""URL patterns merged into aphub.commissioning.urls (namespace "commissioning").

Providers' pages: `apply/` (readiness, applications, answers, clarifications) and `evidence/` (the evidence library).
`apply/<pk>/...` takes an arrangement; `apply/applications/<pk>/...` an application.
"""

from django.urls import path

from aphub.commissioning.applications import views

urlpatterns: list = [
    path("apply/", views.applications, name="applications"),
    path("apply/<int:pk>/readiness/", views.readiness, name="readiness"),
    path("apply/<int:pk>/start/", views.start, name="start-application"),
    path("apply/applications/<int:pk>/", views.application, name="application"),
    path("apply/applications/<int:pk>/lots/", views.application_lots, name="application-lots"),
    path("apply/applications/<int:pk>/declarations/", views.declarations, name="application-declarations"),
    path("apply/applications/<int:pk>/submit/", views.submit, name="application-submit"),
    path("apply/applications/<int:pk>/withdraw/", views.withdraw, name="application-withdraw"),
    path("apply/applications/<int:pk>/send-answers/", views.send_answers, name="application-send-answers"),
    path("apply/answers/<int:pk>/", views.response, name="response"),
    path("apply/questions/<int:pk>/", views.clarification, name="clarification"),
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/upload/", views.evidence_upload, name="evidence-upload"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
]
