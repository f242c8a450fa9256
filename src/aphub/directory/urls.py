from django.urls import path

from . import views

app_name = "directory"

# Every provision URL takes `pk` (int): the access tests generated from this list rely on it.
urlpatterns = [
    path("", views.search, name="search"),
    path("provisions/<int:pk>/", views.provision, name="provision"),
    path("provisions/manage/", views.manage, name="manage"),
    path("provisions/new/", views.create, name="create"),
    path("provisions/<int:pk>/edit/", views.edit, name="edit"),
    path("provisions/<int:pk>/review/", views.review, name="review"),
    path("provisions/<int:pk>/submit/", views.submit, name="submit"),
    path("provisions/<int:pk>/approve/", views.approve, name="approve"),
    path("provisions/<int:pk>/reject/", views.reject, name="reject"),
    path("provisions/<int:pk>/archive/", views.archive, name="archive"),
    path("provisions/<int:pk>/restore/", views.restore, name="restore"),
]
