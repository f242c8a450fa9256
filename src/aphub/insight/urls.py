from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("", views.city_wide, name="city-wide"),
    path("children/", views.children, name="children"),
    path("published-figures/", views.published_figures, name="published-figures"),
]
