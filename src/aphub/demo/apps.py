from django.apps import AppConfig


class DemoConfig(AppConfig):
    # An app only so that `aphub demo` is a management command; it has no models.
    name = "aphub.demo"
    label = "demo"
