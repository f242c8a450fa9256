from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "aphub.organisations"
    label = "organisations"

    def ready(self) -> None:
        # core cannot import us, so we tell its scoping which membership a user is acting in.
        from django.contrib.auth.signals import user_logged_in

        from aphub.core.scoping import register_membership_resolver

        from .middleware import start_session_clock
        from .queries import membership_of

        register_membership_resolver(membership_of)
        user_logged_in.connect(start_session_clock, dispatch_uid="aphub_start_session_clock")
