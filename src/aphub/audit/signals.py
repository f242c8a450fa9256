"""Sign-in, failed sign-in and sign-out go to the security log (see models.SecurityEvent for why it is separate);
changes to an LA's team (organisations.signals.team_changed: a role given, changed or removed) to the access log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from aphub.organisations.signals import second_factor_event, team_changed

from .models import SecurityEvent
from .services import log_access, log_security_event


@receiver(team_changed, dispatch_uid="aphub_audit_team_changed")
def team_change_logged(sender, user, obj, verb, **kwargs):
    log_access(user=user, obj=obj, verb=verb)


@receiver(user_logged_in, dispatch_uid="aphub_audit_signed_in")
def signed_in(sender, request, user, **kwargs):
    log_security_event(kind=SecurityEvent.Kind.SIGNED_IN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="aphub_audit_signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        log_security_event(kind=SecurityEvent.Kind.SIGNED_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="aphub_audit_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Credentials arrive with the password already masked by Django; we keep only an account that exists.
    typed = str(credentials.get("username") or credentials.get("email") or "").strip().lower()
    user = get_user_model().objects.filter(email=typed).first() if typed else None
    log_security_event(kind=SecurityEvent.Kind.SIGN_IN_FAILED, request=request, user=user)


@receiver(second_factor_event, dispatch_uid="aphub_audit_second_factor")
def second_factor_logged(sender, kind, request, user, **kwargs):
    # The kind and the account only: the code typed is never passed here, so it cannot be logged.
    log_security_event(kind=SecurityEvent.Kind(kind), request=request, user=user)
