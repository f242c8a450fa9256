from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "aphub.exchange"
    label = "exchange"
