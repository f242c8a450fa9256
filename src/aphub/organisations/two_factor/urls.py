from django.urls import path

from ..access import signed_in_required
from . import security_keys, views

# Part of the "organisations" namespace (organisations/urls.py adds these).
urlpatterns = [
    path("two-factor/", views.code, name="two-factor-code"),
    path("two-factor/recovery-code/", views.recovery, name="two-factor-recovery"),
    path("two-factor/set-up/", views.set_up, name="two-factor-set-up"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="two-factor-recovery-codes"),
    # Security keys and passkeys (decision 0044): the page, and the JSON endpoints of the browser's WebAuthn calls.
    path("two-factor/security-keys/", views.security_keys, name="security-keys"),
    path("two-factor/security-keys/<int:pk>/remove/", views.remove_security_key, name="security-key-remove"),
    path(
        "two-factor/security-keys/add/begin/",
        signed_in_required(security_keys.BeginAdding.as_view()),
        name="security-key-add-begin",
    ),
    path(
        "two-factor/security-keys/add/complete/",
        signed_in_required(security_keys.CompleteAdding.as_view()),
        name="security-key-add-complete",
    ),
    path(
        "two-factor/security-key/begin/",
        signed_in_required(security_keys.BeginVerifying.as_view()),
        name="security-key-verify-begin",
    ),
    path(
        "two-factor/security-key/complete/",
        signed_in_required(security_keys.CompleteVerifying.as_view()),
        name="security-key-verify-complete",
    ),
    path(
        "two-factor/security-key/messages.js",
        signed_in_required(security_keys.script_messages),
        name="security-key-messages",
    ),
    # An LA admin resets a colleague's second factor (a lost phone).
    path("team/two-factor/", views.team_second_factors, name="team-two-factor"),
    path("team/two-factor/<int:pk>/reset/", views.reset, name="team-two-factor-reset"),
]
