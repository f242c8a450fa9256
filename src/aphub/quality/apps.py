from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Installed for its command, `aphub sweep-commissioning`; it has no models (they are commissioning's)."""

    name = "aphub.quality"
    label = "quality"
