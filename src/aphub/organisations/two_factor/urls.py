from django.urls import path

from . import views

# Part of the "organisations" namespace (organisations/urls.py adds these).
urlpatterns = [
    path("two-factor/", views.code, name="two-factor-code"),
    path("two-factor/recovery-code/", views.recovery, name="two-factor-recovery"),
    path("two-factor/set-up/", views.set_up, name="two-factor-set-up"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="two-factor-recovery-codes"),
    # An LA admin resets a colleague's second factor (a lost phone).
    path("team/two-factor/", views.team_second_factors, name="team-two-factor"),
    path("team/two-factor/<int:pk>/reset/", views.reset, name="team-two-factor-reset"),
]
