from django.urls import include, path

from . import views

app_name = "funding"

urlpatterns = [
    path("lines/", views.lines, name="lines"),
    path("recharges/", include("aphub.funding.recharges.urls")),
]
