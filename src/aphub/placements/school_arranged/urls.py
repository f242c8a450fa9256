"""URL patterns merged into aphub.placements.urls (namespace "placements"): the AP a school arranged itself.

None takes an object: every page is the signed-in school's own (its list, its record and upload forms), so the access
battery walks them for every role as they are (tests/access)."""

from django.urls import path

from aphub.placements.school_arranged import views

urlpatterns: list = [
    path("school-arranged/", views.arranged, name="school-arranged"),
    path("school-arranged/new/", views.record, name="school-arranged-new"),
    path("school-arranged/upload/", views.upload, name="school-arranged-upload"),
    path("school-arranged/census-ap-template.csv", views.template, name="school-arranged-template"),
]
