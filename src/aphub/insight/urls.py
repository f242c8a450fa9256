from django.urls import path

from . import views
from .actions.urls import urlpatterns as action_plan
from .dashboards import dashboards

app_name = "insight"

urlpatterns = [
    path("", views.city_wide, name="city-wide"),
    path("children/", views.children, name="children"),
    path("published-figures/", views.published_figures, name="published-figures"),
    path("published-series/", views.published_series, name="published-series"),
    path("dashboards/", views.dashboard_index, name="dashboards"),
    path("committee-pack/", views.committee_pack, name="committee-pack"),
    path("committee-pack/<int:pk>/download/", views.committee_pack_download, name="committee-pack-download"),
    # The LA's strategy action plan (issue 14).
    *action_plan,
    # One address a dashboard, named insight:dashboard-SLUG: a page like any other for the access tests.
    *(path(f"dashboards/{slug}/", views.dashboard, {"slug": slug}, name=f"dashboard-{slug}") for slug in dashboards()),
]
