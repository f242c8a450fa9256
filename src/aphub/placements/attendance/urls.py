"""URL patterns merged into aphub.placements.urls (namespace "placements")."""

from django.urls import path

from aphub.placements.attendance import views

# The placement page takes `pk` of a placement (tests/access/world.py makes LA Y's); the others choose their
# provision, date and session in the query string, and answer 404 for a provision the user cannot see.
urlpatterns: list = [
    path("attendance/", views.register, name="attendance-register"),
    path("attendance/upload/", views.upload, name="attendance-upload"),
    path("attendance/rates/", views.rates, name="attendance-rates"),
    path("attendance/absences/", views.absences, name="absences"),
    path("attendance/placements/<int:pk>/", views.placement_marks, name="attendance-placement"),
]
