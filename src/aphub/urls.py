from django.urls import include, path

from aphub.commissioning import urls as commissioning_urls
from aphub.home import urls as home_urls
from aphub.organisations import urls as organisations_urls
from aphub.quality import urls as quality_urls

urlpatterns = [
    path("", include("aphub.directory.urls")),
    path("", include("aphub.placements.pupils.urls")),
    # The home page reads every app, so it lives above them (aphub.home) but keeps its name, "organisations:home".
    path("", include((organisations_urls.urlpatterns + home_urls.urlpatterns, organisations_urls.app_name))),
    path("", include("aphub.placements.urls")),
    # Quality's pages read placements, so they live above it (aphub.quality) but keep their names, "commissioning:...".
    path("", include((commissioning_urls.urlpatterns + quality_urls.urlpatterns, commissioning_urls.app_name))),
    path("duties/", include("aphub.duties.urls")),
    # Commissioned places and their funding are commissioning's records, shown with the LA's money (decision 0029).
    path("funding/places/", include("aphub.commissioning.places.urls")),
    path("funding/", include("aphub.funding.urls")),
    # The outturn is /funding/ itself; the funding lines it totals are /funding/lines/.
    path("funding/", include("aphub.finance.urls")),
    path("audit/", include("aphub.data_protection.urls")),
    path("insight/", include("aphub.insight.urls")),
    path("api/", include("aphub.api_urls")),
]

handler400 = "aphub.organisations.views.bad_request"
handler403 = "aphub.organisations.views.permission_denied"
handler404 = "aphub.organisations.views.page_not_found"
handler500 = "aphub.organisations.views.server_error"
