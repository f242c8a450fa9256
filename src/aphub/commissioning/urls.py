"""Commissioning pages, one URL module per part of the work, all in the "commissioning" namespace."""

from .application_urls import urlpatterns as application_urlpatterns
from .arrangement_urls import urlpatterns as arrangement_urlpatterns
from .evaluation_urls import urlpatterns as evaluation_urlpatterns
from .quality_urls import urlpatterns as quality_urlpatterns

app_name = "commissioning"

urlpatterns = arrangement_urlpatterns + application_urlpatterns + evaluation_urlpatterns + quality_urlpatterns
