"""A governing board's review is met by its decision, not a placement: the school (or the LA) records it."""

import datetime as dt

import pytest
import time_machine

from aphub.audit.models import AccessLogEntry
from aphub.duties import services
from aphub.duties.models import Clock
from aphub.organisations.models import Role
from tests.factories import EnrolmentFactory, EpisodeFactory, SchoolFactory, member, route_for

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(D(2026, 11, 20))


@pytest.fixture
def board(la, school):
    pupil = EnrolmentFactory(pupil__local_authority=la, pupil__first_name="Robin", school=school).pupil
    episode = EpisodeFactory(
        pupil=pupil, route=route_for(la, "permanent-exclusion"), school=school, start_date=D(2026, 11, 3)
    )
    with time_machine.travel(D(2026, 11, 3)):
        clocks = services.start_episode_clocks(episode=episode)
    return next(clock for clock in clocks if clock.rule == "governing-board-review")


def path(clock):
    return f"/duties/worklist/clocks/{clock.pk}/met/"


def met_form(day, note="The governing board upheld the exclusion"):
    return {"met_on_0": str(day.day), "met_on_1": str(day.month), "met_on_2": str(day.year), "note": note}


def test_the_school_records_its_boards_decision(client, school, board):
    staff = member(Role.SCHOOL_STAFF, school)
    client.force_login(staff)
    assert "Record as met" in client.get("/duties/worklist/").content.decode()
    response = client.post(path(board), met_form(D(2026, 11, 19)))
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.state, board.met_on, board.met_note) == (
        "met",
        D(2026, 11, 19),
        "The governing board upheld the exclusion",
    )
    entry = AccessLogEntry.objects.get(verb="change")  # the worklist's own read is a "view" of the list
    assert (entry.object_type, entry.object_id, entry.verb, entry.user_id) == (
        "duties.Clock",
        str(board.pk),
        "change",
        staff.pk,
    )


def test_an_la_officer_may_record_it_too(client, la, board):
    client.force_login(member(Role.LA_OFFICER, la))
    assert client.post(path(board), met_form(D(2026, 11, 19))).status_code == 302


def test_another_school_of_the_la_may_not(client, la, board):
    other = SchoolFactory(local_authority=la)
    EnrolmentFactory(pupil=board.pupil, school=other)  # the child is now on its roll
    client.force_login(member(Role.SCHOOL_STAFF, other))
    assert client.post(path(board), met_form(D(2026, 11, 19))).status_code == 404
    assert Clock.objects.get(pk=board.pk).state != "met"


def test_an_education_clock_is_not_recorded_by_hand(client, la, board):
    sixth_day = Clock.objects.get(episode=board.episode, rule="permanent-exclusion")
    client.force_login(member(Role.LA_OFFICER, la))
    assert client.get(path(sixth_day)).status_code == 403


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2026, 11, 2), "must be on or after 3 November 2026"),
        (D(2026, 11, 23), "must be today or in the past"),
    ],
)
def test_a_date_that_cannot_be_is_explained(client, school, board, day, message):
    client.force_login(member(Role.SCHOOL_STAFF, school))
    response = client.post(path(board), met_form(day))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Clock.objects.get(pk=board.pk).state != "met"


def test_a_decision_must_be_described(client, school, board):
    client.force_login(member(Role.SCHOOL_STAFF, school))
    response = client.post(path(board), met_form(D(2026, 11, 19), note=""))
    assert "Enter what was decided" in response.content.decode()


def test_a_met_clock_cannot_be_met_again(client, school, board):
    client.force_login(member(Role.SCHOOL_STAFF, school))
    client.post(path(board), met_form(D(2026, 11, 19)))
    assert client.get(path(board)).status_code == 404
