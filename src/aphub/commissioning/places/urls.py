from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.report, name="report"),
    path("set/", views.set_places, name="set"),
]
