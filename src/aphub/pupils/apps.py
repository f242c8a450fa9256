from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "aphub.pupils"
    label = "pupils"
