from django.urls import include, path

urlpatterns = [
    path("", include("aphub.directory.urls")),
    path("", include("aphub.organisations.urls")),
    path("", include("aphub.placements.pupils.urls")),
    path("", include("aphub.placements.urls")),
    path("", include("aphub.commissioning.urls")),
    path("duties/", include("aphub.duties.urls")),
    path("funding/", include("aphub.funding.urls")),
    path("audit/", include("aphub.audit.urls")),
    path("api/", include("aphub.api_urls")),
]

handler400 = "aphub.organisations.views.bad_request"
handler403 = "aphub.organisations.views.permission_denied"
handler404 = "aphub.organisations.views.page_not_found"
handler500 = "aphub.organisations.views.server_error"
