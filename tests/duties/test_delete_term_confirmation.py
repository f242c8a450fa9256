"""Deleting term dates moves statutory clocks, so the admin is asked first (GOV.UK "are you sure" pattern) and told
how many running clocks will move; only the POST from that page deletes."""

import datetime as dt

import pytest
import time_machine

from aphub.duties import services
from aphub.duties.models import Clock, Closure, TermDates
from aphub.organisations.models import Role
from tests.factories import EnrolmentFactory, EpisodeFactory, member, route_for

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, la):
    user = member(Role.LA_ADMIN, la)
    client.force_login(user)
    return user


@pytest.fixture
def running_clocks(la, school):
    """A permanent exclusion on Tuesday 3 November 2026: the LA's sixth-day clock and the board review clock."""
    pupil = EnrolmentFactory(pupil__local_authority=la, school=school).pupil
    episode = EpisodeFactory(
        pupil=pupil, route=route_for(la, "permanent-exclusion"), school=school, start_date=D(2026, 11, 3)
    )
    with time_machine.travel(D(2026, 11, 3)):
        return services.start_episode_clocks(episode=episode)


def _due_dates():
    return dict(Clock.objects.values_list("pk", "due_on"))


@time_machine.travel(D(2026, 11, 4))
def test_asking_to_delete_a_term_says_how_many_clocks_will_move_and_changes_nothing(client, admin, la, running_clocks):
    term = TermDates.objects.get(local_authority=la, school=None, name="Autumn 2 2026")
    before = _due_dates()
    response = client.get(f"/duties/calendar/terms/{term.pk}/delete/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Are you sure you want to delete Autumn 2 2026?" in body
    assert "The due dates of 2 running statutory clocks will be counted again" in body
    assert f'action="/duties/calendar/terms/{term.pk}/delete/"' in body
    assert TermDates.objects.filter(pk=term.pk).exists()
    assert _due_dates() == before


@time_machine.travel(D(2026, 11, 4))
def test_the_post_from_the_confirmation_deletes_the_term_and_moves_the_clocks(client, admin, la, running_clocks):
    term = TermDates.objects.get(local_authority=la, school=None, name="Autumn 2 2026")
    before = _due_dates()
    response = client.post(f"/duties/calendar/terms/{term.pk}/delete/")
    assert response.status_code == 302
    assert not TermDates.objects.filter(pk=term.pk).exists()
    after = _due_dates()
    assert all(after[pk] > before[pk] for pk in before)
    assert "The due dates of 2 statutory clocks moved." in client.get(response["Location"]).content.decode()


@time_machine.travel(D(2026, 11, 4))
def test_a_term_that_moves_no_clock_says_so(client, admin, la, running_clocks):
    term = TermDates.objects.get(local_authority=la, school=None, name="Summer 2 2028")
    body = client.get(f"/duties/calendar/terms/{term.pk}/delete/").content.decode()
    assert "No due date of a running statutory clock will move." in body


@time_machine.travel(D(2026, 11, 4))
def test_asking_to_delete_a_closure_counts_the_clocks_and_changes_nothing(client, admin, la, running_clocks):
    closure = services.add_closure(user=admin, local_authority=la, date=D(2026, 11, 6), reason="Staff training")
    before = _due_dates()
    body = client.get(f"/duties/calendar/closures/{closure.pk}/delete/").content.decode()
    assert "Are you sure you want to delete the closure on 6 November 2026?" in body
    assert "The due dates of 2 running statutory clocks" in body
    assert Closure.objects.filter(pk=closure.pk).exists() and _due_dates() == before
    assert client.post(f"/duties/calendar/closures/{closure.pk}/delete/").status_code == 302
    assert not Closure.objects.filter(pk=closure.pk).exists()


def test_the_calendar_links_to_the_confirmation_instead_of_deleting_at_once(client, admin, la):
    term = TermDates.objects.get(local_authority=la, school=None, name="Autumn 2 2026")
    body = client.get("/duties/calendar/").content.decode()
    assert f'href="/duties/calendar/terms/{term.pk}/delete/"' in body
    assert f'action="/duties/calendar/terms/{term.pk}/delete/"' not in body
