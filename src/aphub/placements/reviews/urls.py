"""URL patterns merged into aphub.placements.urls (namespace "placements")."""

from django.urls import path

from aphub.placements.reviews import views as review_views

urlpatterns: list = [
    path("placements/<int:pk>/reviews/", review_views.reviews, name="reviews"),
    path("placements/<int:pk>/reviews/new/", review_views.record_review, name="review-new"),
    path("reviews/overdue/", review_views.overdue_reviews, name="overdue-reviews"),
    path("follow-ups/", review_views.follow_ups, name="follow-ups"),
    path("follow-ups/<int:pk>/", review_views.record_follow_up, name="follow-up"),
]
