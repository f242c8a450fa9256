from django.urls import path

from aphub.placements.attendance.urls import urlpatterns as attendance_urlpatterns
from aphub.placements.pupils.urls import placement_urlpatterns as pupil_urlpatterns
from aphub.placements.referrals.urls import urlpatterns as referral_urlpatterns
from aphub.placements.reviews.urls import urlpatterns as review_urlpatterns
from aphub.placements.school_arranged.urls import urlpatterns as school_arranged_urlpatterns

from . import views

app_name = "placements"

# Placement pages take `pk` of a placement: tests/access/world.py makes it. The pages under /pupils/ are
# placements/pupils/urls.py's, in this namespace.
urlpatterns = (
    pupil_urlpatterns
    + [
        path("placements/", views.placements, name="placements"),
        path("placements/<int:pk>/", views.placement, name="placement"),
        path("placements/<int:pk>/accept/", views.accept, name="accept"),
        path("placements/<int:pk>/decline/", views.decline, name="decline"),
        path("placements/<int:pk>/cancel/", views.cancel, name="cancel"),
        path("placements/<int:pk>/start/", views.start, name="start"),
        path("placements/<int:pk>/end/", views.end, name="end"),
        path("placements/<int:pk>/commissioning-school/", views.commissioning_school, name="commissioning-school"),
        path(
            "placements/<int:pk>/commissioning-school/hand-back/",
            views.hand_back_to_la,
            name="commissioning-school-hand-back",
        ),
        path("placements/<int:pk>/agreement.pdf", views.agreement, name="agreement"),
        path("waiting-list/", views.waiting_list, name="waiting-list"),
        path("routes/", views.routes, name="routes"),
        path("routes/<int:pk>/", views.edit_route, name="edit-route"),
        path("waiting-list/<int:pk>/remove/", views.remove_from_waiting_list, name="remove-from-waiting-list"),
        # The LA's oversight of every child in AP, whoever arranged it (issue 12).
        path("oversight/no-registered-roll/", views.on_no_registered_roll, name="no-registered-roll"),
        path("oversight/short-of-full-time/", views.short_of_full_time, name="short-of-full-time"),
    ]
    + referral_urlpatterns
    + attendance_urlpatterns
    + review_urlpatterns
    + school_arranged_urlpatterns
)
