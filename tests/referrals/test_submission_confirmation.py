"""The confirmation after submitting a referral says when the panel meets, and promises no meeting that does not
exist."""

import datetime

import pytest
from django.urls import reverse

from aphub.placements.models import PanelMeeting
from tests.factories import LocalAuthorityFactory


def _submit(client, school_staff, draft) -> str:
    client.force_login(school_staff)
    response = client.post(reverse("placements:referral-submit", kwargs={"pk": draft.pk}), follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_with_no_panel_scheduled_the_confirmation_says_the_la_will_schedule_one(client, school_staff, draft, la):
    PanelMeeting.objects.create(local_authority=la, date=datetime.date(2026, 11, 2), members="Past panel")
    PanelMeeting.objects.create(
        local_authority=LocalAuthorityFactory(), date=datetime.date(2026, 11, 20), members="Another LA's panel"
    )
    page = _submit(client, school_staff, draft)
    assert "next meeting" not in page
    assert "The local authority will schedule the panel" in page
    assert "20 November 2026" not in page


@pytest.mark.django_db
def test_the_confirmation_names_the_date_of_the_next_panel(client, school_staff, draft, la):
    PanelMeeting.objects.create(local_authority=la, date=datetime.date(2026, 12, 10), members="Later panel")
    PanelMeeting.objects.create(local_authority=la, date=datetime.date(2026, 11, 16), members="Today's panel")
    PanelMeeting.objects.create(local_authority=la, date=datetime.date(2026, 11, 2), members="Past panel")
    page = _submit(client, school_staff, draft)
    assert "The next panel meets on 16 November 2026" in page
