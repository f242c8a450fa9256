from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "aphub.commissioning"
    label = "commissioning"
