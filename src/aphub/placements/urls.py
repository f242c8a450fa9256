from django.urls import path

from . import views
from .attendance_urls import urlpatterns as attendance_urlpatterns
from .referral_urls import urlpatterns as referral_urlpatterns
from .review_urls import urlpatterns as review_urlpatterns

app_name = "placements"

# Pupil pages take `pk` of a pupil, placement pages `pk` of a placement: tests/access/world.py makes both.
urlpatterns = (
    [
        path("pupils/", views.pupils, name="pupils"),
    ]
    + referral_urlpatterns
    + attendance_urlpatterns
    + review_urlpatterns
)
