from django.urls import path

from . import views

# Named in the organisations namespace ("organisations:home"), where it was before it moved above every app:
# aphub/urls.py adds these patterns to the organisations app's.
urlpatterns = [
    path("home/", views.home, name="home"),
]
