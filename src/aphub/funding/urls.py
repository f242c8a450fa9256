from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("lines/", views.lines, name="lines"),
]
