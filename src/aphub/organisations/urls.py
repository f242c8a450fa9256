from django.urls import path

from . import views
from .two_factor import urls as two_factor_urls

app_name = "organisations"

# The home page (home/, "organisations:home") is aphub.home's: aphub/urls.py adds it to this namespace.

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("home/organisation/", views.switch_membership, name="switch-membership"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<int:pk>/revoke/", views.revoke_token, name="revoke-api-token"),
    # The LA's team: an LA admin gives colleagues their roles (decision 0027).
    path("team/", views.team, name="team"),
    path("team/add/", views.team_add, name="team-add"),
    path("team/<int:pk>/role/", views.team_role, name="team-role"),
    path("team/<int:pk>/remove/", views.team_remove, name="team-remove"),
    # Two-factor sign-in (decision 0042).
    *two_factor_urls.urlpatterns,
]
