"""Commissioning pages, one URL module per part of the work, all in the "commissioning" namespace. Quality's pages read
placements, so they live above it in aphub/quality/ and aphub/urls.py adds them to this namespace."""

from aphub.commissioning.applications.urls import urlpatterns as application_urlpatterns
from aphub.commissioning.arrangements.urls import urlpatterns as arrangement_urlpatterns
from aphub.commissioning.bands.urls import urlpatterns as band_urlpatterns
from aphub.commissioning.evaluation.urls import urlpatterns as evaluation_urlpatterns

app_name = "commissioning"

urlpatterns = arrangement_urlpatterns + application_urlpatterns + evaluation_urlpatterns
urlpatterns += band_urlpatterns
