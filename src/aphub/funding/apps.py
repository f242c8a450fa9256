from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "aphub.funding"
    label = "funding"
