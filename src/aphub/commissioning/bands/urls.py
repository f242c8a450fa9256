"""URL patterns merged into aphub.commissioning.urls (namespace "commissioning")."""

from django.urls import path

from aphub.commissioning.bands import views

urlpatterns = [
    path("top-up-bands/", views.band_table, name="top-up-bands"),
    path("top-up-bands/new/", views.add_band, name="top-up-band-new"),
    path("top-up-bands/<int:pk>/edit/", views.edit_band, name="top-up-band-edit"),
    path("top-up-bands/<int:pk>/retire/", views.retire_band, name="top-up-band-retire"),
]
