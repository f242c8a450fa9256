"""Quality assurance's pages, under quality/. Named in the commissioning namespace ("commissioning:quality"), where
they were before they moved above placements: aphub/urls.py adds these patterns to commissioning's."""

from django.urls import path

from aphub.quality import views

urlpatterns: list = [
    path("quality/", views.overview, name="quality"),
    path("quality/policy/", views.policy, name="quality-policy"),
    path("quality/visits/", views.visits, name="quality-visits"),
    path("quality/visits/plan/", views.plan_visits, name="quality-plan-visits"),
    path("quality/visits/<int:pk>/", views.visit, name="quality-visit"),
    path("quality/visits/<int:pk>/record/", views.record_visit, name="quality-visit-record"),
    path("quality/visits/<int:pk>/actions/new/", views.new_action, name="quality-visit-action-new"),
    path("quality/actions/overdue/", views.overdue_actions, name="quality-actions-overdue"),
    path("quality/actions/<int:pk>/", views.action, name="quality-action"),
    path("quality/providers/<int:pk>/", views.scorecard, name="quality-provider"),
    path("quality/providers/<int:pk>/visits/new/", views.new_visit, name="quality-provider-visit-new"),
    path("quality/providers/<int:pk>/complaints/new/", views.new_complaint, name="quality-provider-complaint-new"),
    path("quality/complaints/<int:pk>/", views.complaint, name="quality-complaint"),
    path("quality/admissions/<int:pk>/", views.admission, name="quality-admission"),
    path("quality/admissions/<int:pk>/suspend/", views.suspend, name="quality-admission-suspend"),
    path("quality/admissions/<int:pk>/reinstate/", views.reinstate, name="quality-admission-reinstate"),
    path("quality/admissions/<int:pk>/remove/", views.remove, name="quality-admission-remove"),
    path("quality/checks/", views.provider_checks, name="quality-checks"),
    path("quality/unregistered/", views.unregistered, name="quality-oversight"),
    path("quality/registration/", views.registration, name="quality-registration"),
]
