from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "aphub.duties"
    label = "duties"
