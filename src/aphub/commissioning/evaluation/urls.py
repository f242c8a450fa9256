"""URL patterns merged into aphub.commissioning.urls (namespace "commissioning"): evaluation and contracts."""

from django.urls import path

from aphub.commissioning.evaluation import views

urlpatterns: list = [
    path("evaluations/", views.queue, name="evaluations"),
    path("evaluations/<int:pk>/", views.application, name="evaluation"),
    path("evaluations/<int:pk>/score/", views.score, name="evaluation-score"),
    path("evaluations/<int:pk>/recommend/", views.recommend, name="evaluation-recommend"),
    path("evaluations/<int:pk>/sign-off/", views.sign_off, name="evaluation-sign-off"),
    path("evaluations/<int:pk>/send-back/", views.send_back, name="evaluation-send-back"),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/<int:pk>/signed/", views.contract_signed, name="contract-signed"),
]
