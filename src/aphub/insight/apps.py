from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "aphub.insight"
    label = "insight"
