import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member
from tests.two_factor import sign_in_with_code

pytestmark = pytest.mark.django_db

HOME = reverse("organisations:home")
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def sign_in(client):
    sign_in_with_code(client, member(Role.LA_OFFICER, LocalAuthorityFactory()))


def test_an_idle_session_ends(client):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        assert client.get(HOME).status_code == 200
        clock.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("organisations:sign-in"))


def test_activity_keeps_a_session_alive_until_the_absolute_limit(client):
    step = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        elapsed = datetime.timedelta(0)
        while elapsed + step < datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS):
            clock.shift(step)
            elapsed += step
            assert client.get(HOME).status_code == 200, f"signed out after {elapsed}"
        clock.shift(step)
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('organisations:sign-in')}?expired=1"
        # And it stays ended: the next request is anonymous too.
        assert client.get(HOME).status_code == 302


def test_the_sign_in_page_says_why_after_expiry(client, db):
    body = client.get(reverse("organisations:sign-in") + "?expired=1").content.decode()
    assert "You were signed out to keep children" in body
