from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aphub.core"
    label = "core"
