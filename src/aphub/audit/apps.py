from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aphub.audit"
    label = "audit"
