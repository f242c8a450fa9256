from django.urls import path

from . import views

# Under /insight/ (insight/urls.py includes these in its own namespace).
urlpatterns = [
    path("actions/", views.action_plan, name="actions"),
    path("actions/start/", views.start_from_strategy, name="actions-start"),
    path("actions/add/", views.add_action, name="action-add"),
    path("actions/<int:pk>/", views.edit_action, name="action-edit"),
]
