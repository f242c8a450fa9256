from django.urls import include, path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.lines, name="lines"),
    path("recharges/", include("aphub.funding.recharges.urls")),
]
