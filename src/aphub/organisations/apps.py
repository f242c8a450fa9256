from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "aphub.organisations"
    label = "organisations"
