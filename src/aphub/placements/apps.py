from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "aphub.placements"
    label = "placements"
