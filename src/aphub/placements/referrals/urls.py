"""URL patterns merged into aphub.placements.urls (namespace "placements").

Referral pages take `pk` of a referral, document downloads `pk` of a document, panel pages `pk` of a meeting:
tests/access/world.py makes each of them for the other side.
"""

from django.urls import path

from aphub.placements.referrals import views

urlpatterns: list = [
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral-new"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/edit/", views.referral_edit, name="referral-edit"),
    path("referrals/<int:pk>/submit/", views.referral_submit, name="referral-submit"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw, name="referral-withdraw"),
    path("referrals/<int:pk>/documents/", views.document_upload, name="referral-document-upload"),
    path("referrals/documents/<int:pk>/", views.document_download, name="referral-document"),
    path("panel/", views.panel_list, name="panel"),
    path("panel/new/", views.panel_new, name="panel-new"),
    path("panel/<int:pk>/", views.panel_meeting, name="panel-meeting"),
    path("panel/<int:pk>/decisions/", views.panel_decide, name="panel-decide"),
]
