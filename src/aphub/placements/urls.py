from django.urls import path

from aphub.placements.attendance.urls import urlpatterns as attendance_urlpatterns
from aphub.placements.referrals.urls import urlpatterns as referral_urlpatterns
from aphub.placements.reviews.urls import urlpatterns as review_urlpatterns

from . import views

app_name = "placements"

# Pupil pages take `pk` of a pupil, placement pages `pk` of a placement: tests/access/world.py makes both.
urlpatterns = (
    [
        path("pupils/", views.pupils, name="pupils"),
        path("pupils/<int:pk>/", views.pupil, name="pupil"),
        path("pupils/<int:pk>/episodes/new/", views.new_episode, name="new-episode"),
        path("episodes/<int:pk>/correct/", views.correct_episode, name="correct-episode"),
        path("episodes/<int:pk>/withdraw/", views.withdraw_episode, name="withdraw-episode"),
        path("pupils/<int:pk>/offer/", views.offer, name="offer"),
        path("pupils/<int:pk>/waiting-list/", views.add_to_waiting_list, name="add-to-waiting-list"),
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
    ]
    + referral_urlpatterns
    + attendance_urlpatterns
    + review_urlpatterns
)
