"""URL patterns merged into aphub.placements.urls (namespace "placements")."""

urlpatterns: list = []
