"""URL patterns merged into aphub.placements.urls (namespace "placements"): the AP a school arranged itself.

The school's pages take no object: each is the signed-in school's own (its list, its record and upload forms). The LA's
list of the providers its schools recorded, and the page renaming one, are its officers' and admins' (decision 0026);
the access battery walks them all for every role (tests/access)."""

from django.urls import path

from aphub.placements.school_arranged import views

urlpatterns: list = [
    path("school-arranged/", views.arranged, name="school-arranged"),
    path("school-arranged/new/", views.record, name="school-arranged-new"),
    path("school-arranged/upload/", views.upload, name="school-arranged-upload"),
    path("school-arranged/census-ap-template.csv", views.template, name="school-arranged-template"),
    path("school-arranged/providers/", views.recorded_providers, name="recorded-providers"),
    path("school-arranged/providers/<int:pk>/name/", views.rename_recorded_provider, name="rename-recorded-provider"),
]
