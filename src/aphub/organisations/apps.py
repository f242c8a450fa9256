from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "aphub.organisations"
    label = "organisations"

    def ready(self) -> None:
        # core cannot import us, so we tell its scoping which membership a user is acting in.
        from aphub.core.scoping import register_membership_resolver

        from .queries import membership_of

        register_membership_resolver(membership_of)
