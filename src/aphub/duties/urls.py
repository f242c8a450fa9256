from django.urls import path

from . import views

app_name = "duties"

# record-met takes a clock's pk, open-notification a notification's; the school calendar pages a school's, except
# delete-term and delete-closure.
urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path("worklist/clocks/<int:pk>/met/", views.record_met, name="record-met"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/terms/new/", views.add_term, name="add-term"),
    path("calendar/closures/new/", views.add_closure, name="add-closure"),
    path("calendar/terms/<int:pk>/delete/", views.delete_term, name="delete-term"),
    path("calendar/closures/<int:pk>/delete/", views.delete_closure, name="delete-closure"),
    path("calendar/schools/<int:pk>/", views.school_calendar, name="school-calendar"),
    path("calendar/schools/<int:pk>/terms/new/", views.add_school_term, name="add-school-term"),
    path("calendar/schools/<int:pk>/closures/new/", views.add_school_closure, name="add-school-closure"),
    path("policy/", views.policy, name="policy"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.open_notification, name="open-notification"),
    path("notifications/mark-all-read/", views.mark_all_notifications_read, name="mark-all-notifications-read"),
]
