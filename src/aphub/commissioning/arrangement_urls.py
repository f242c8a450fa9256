"""URL patterns merged into aphub.commissioning.urls (namespace "commissioning")."""

urlpatterns: list = []
