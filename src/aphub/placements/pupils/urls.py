"""Every page under /pupils/, with the URL names it had before the pages moved here.

`urlpatterns` are the pupils app's (namespace "pupils", included by aphub.urls): recording and changing a pupil and
their school roll. `placement_urlpatterns` are merged into aphub.placements.urls (namespace "placements"): the list, a
child's page, episodes, the offer and the waiting list. Pupil pages take `pk` of a pupil, episode pages `pk` of an
episode: tests/access/world.py makes both.
"""

from django.urls import path

from aphub.placements.pupils import views

app_name = "pupils"

urlpatterns = [
    path("pupils/new/", views.new_pupil, name="new"),
    path("pupils/<int:pk>/change/", views.edit_pupil, name="edit"),
    path("pupils/<int:pk>/enrolments/new/", views.enrol_pupil, name="enrol"),
]

placement_urlpatterns = [
    path("pupils/", views.pupils, name="pupils"),
    path("pupils/<int:pk>/", views.pupil, name="pupil"),
    path("pupils/<int:pk>/episodes/new/", views.new_episode, name="new-episode"),
    path("episodes/<int:pk>/correct/", views.correct_episode, name="correct-episode"),
    path("episodes/<int:pk>/withdraw/", views.withdraw_episode, name="withdraw-episode"),
    path("pupils/<int:pk>/offer/", views.offer, name="offer"),
    path("pupils/<int:pk>/waiting-list/", views.add_to_waiting_list, name="add-to-waiting-list"),
]
