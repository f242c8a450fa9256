from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "aphub.data_protection"
    label = "data_protection"
    verbose_name = "Data protection"
