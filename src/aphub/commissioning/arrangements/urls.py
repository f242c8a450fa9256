"""URL patterns merged into aphub.commissioning.urls (namespace "commissioning").

Staff pages take the arrangement's (or lot's) `pk`; the public page takes its `reference`, which is why no
reference may be "manage" (arrangements.RESERVED_REFERENCES).
"""

from django.urls import path

from aphub.commissioning.arrangements import views

urlpatterns = [
    path("arrangements/", views.public_list, name="public-arrangements"),
    path("arrangements/manage/", views.manage_list, name="arrangements-manage"),
    path("arrangements/manage/new/", views.create, name="arrangement-new"),
    path("arrangements/manage/<int:pk>/", views.manage, name="arrangement-manage"),
    path("arrangements/manage/<int:pk>/edit/", views.edit, name="arrangement-edit"),
    path("arrangements/manage/<int:pk>/add-lot/", views.add_lot, name="arrangement-add-lot"),
    path("arrangements/manage/<int:pk>/publish/", views.publish, name="arrangement-publish"),
    path("arrangements/manage/<int:pk>/close/", views.close, name="arrangement-close"),
    path("arrangements/manage/<int:pk>/open/", views.reopen, name="arrangement-open"),
    path("arrangements/manage/lots/<int:pk>/edit/", views.edit_lot, name="arrangement-lot-edit"),
    path("arrangements/manage/lots/<int:pk>/remove/", views.remove_lot, name="arrangement-lot-remove"),
    path("arrangements/<slug:reference>/", views.public_detail, name="public-arrangement"),
]
