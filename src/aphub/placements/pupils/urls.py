from django.urls import path

from aphub.placements.pupils import views

app_name = "pupils"

urlpatterns = [
    path("pupils/new/", views.new_pupil, name="new"),
    path("pupils/<int:pk>/change/", views.edit_pupil, name="edit"),
    path("pupils/<int:pk>/enrolments/new/", views.enrol_pupil, name="enrol"),
]
