"""Recharges to schools, under /funding/recharges/ in the funding namespace (funding/urls.py includes these)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.statements, name="recharge-statements"),
    path("draft/", views.draft, name="recharge-draft"),
    path("<int:pk>/", views.statement, name="recharge-statement"),
    path("<int:pk>/pdf/", views.statement_pdf, name="recharge-statement-pdf"),
    path("<int:pk>/issue/", views.issue, name="recharge-issue"),
    path("<int:pk>/dispute/", views.dispute, name="recharge-dispute"),
    path("<int:pk>/reissue/", views.reissue, name="recharge-reissue"),
    path("<int:pk>/paid/", views.pay, name="recharge-paid"),
    path("double-funding/<int:pk>/school-pays/", views.school_pays, name="recharge-school-pays"),
]
