"""LA admins keep the school calendar: terms, INSET days and closures, and schools' own term dates."""

import datetime as dt

import pytest

from aphub.duties.models import Closure, TermDates
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, SchoolFactory, member

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, la):
    user = member(Role.LA_ADMIN, la)
    client.force_login(user)
    return user


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_calendar_page_lists_the_las_terms_and_closures(client, admin, la):
    body = client.get("/duties/calendar/").content.decode()
    assert "Autumn 2 2026" in body and "Monday 2 November 2026" in body
    assert "Monday 4 January 2027" in body  # an INSET day
    assert "Every school follows the local authority's term dates." in body


def test_an_admin_adds_a_term(client, admin, la):
    data = {
        "name": "Autumn 1 2028",
        **date_fields("first_day", D(2028, 9, 4)),
        **date_fields("last_day", D(2028, 10, 20)),
    }
    response = client.post("/duties/calendar/terms/new/", data)
    assert response.status_code == 302 and response["Location"] == "/duties/calendar/"
    term = TermDates.objects.get(name="Autumn 1 2028")
    assert (term.local_authority, term.school, term.first_day, term.last_day) == (
        la,
        None,
        D(2028, 9, 4),
        D(2028, 10, 20),
    )
    assert (
        "Autumn 1 2028 is added: 4 September 2028 to 20 October 2028."
        in client.get("/duties/calendar/").content.decode()
    )


def test_dates_out_of_order_get_a_clear_message_and_save_nothing(client, admin):
    data = {
        "name": "Autumn 1 2028",
        **date_fields("first_day", D(2028, 10, 20)),
        **date_fields("last_day", D(2028, 9, 4)),
    }
    response = client.post("/duties/calendar/terms/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The last day must be the same as or after the first day" in body
    assert 'href="#id_last_day_0"' in body
    assert not TermDates.objects.filter(name="Autumn 1 2028").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_day_0": "31", "first_day_1": "2", "first_day_2": "2028"}, "The first day must be a real date"),
        ({"first_day_0": "1", "first_day_1": "", "first_day_2": "2028"}, "The first day must include a month"),
        ({"first_day_0": "x", "first_day_1": "9", "first_day_2": "2028"}, "The first day must be a real date"),
        ({"first_day_0": "", "first_day_1": "", "first_day_2": ""}, "Enter the first day"),
    ],
)
def test_bad_dates_are_named(client, admin, fields, message):
    data = {"name": "Autumn 1 2028", **fields, **date_fields("last_day", D(2028, 10, 20))}
    response = client.post("/duties/calendar/terms/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_overlapping_term_is_refused(client, admin):
    data = {"name": "Extra", **date_fields("first_day", D(2026, 10, 19)), **date_fields("last_day", D(2026, 10, 30))}
    body = client.post("/duties/calendar/terms/new/", data).content.decode()
    assert "This term overlaps Autumn 1 2026 (1 September 2026 to 23 October 2026)" in body
    assert not TermDates.objects.filter(name="Extra").exists()


def test_an_admin_adds_and_deletes_an_inset_day(client, admin, la):
    response = client.post(
        "/duties/calendar/closures/new/", {**date_fields("date", D(2026, 11, 6)), "reason": "INSET day"}
    )
    assert response.status_code == 302
    closure = Closure.objects.get(local_authority=la, date=D(2026, 11, 6))
    response = client.post(f"/duties/calendar/closures/{closure.pk}/delete/")
    assert response.status_code == 302
    assert not Closure.objects.filter(pk=closure.pk).exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2026, 11, 7), "7 November 2026 is a Saturday: only a weekday can be an INSET day or closure"),
        (D(2026, 10, 28), "28 October 2026 is not in any term of this calendar"),
        (D(2027, 1, 4), "4 January 2027 is already a closure in this calendar"),
    ],
)
def test_a_closure_that_cannot_be_is_explained(client, admin, day, message):
    response = client.post("/duties/calendar/closures/new/", {**date_fields("date", day), "reason": "INSET day"})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_admin_deletes_a_term(client, admin, la):
    term = TermDates.objects.get(local_authority=la, name="Summer 2 2028")
    assert client.post(f"/duties/calendar/terms/{term.pk}/delete/").status_code == 302
    assert not TermDates.objects.filter(pk=term.pk).exists()


def test_a_school_gets_its_own_term_dates(client, admin, la, school):
    response = client.get("/duties/calendar/", {"school": school.pk})
    assert response.status_code == 302 and response["Location"] == f"/duties/calendar/schools/{school.pk}/"
    body = client.get(response["Location"]).content.decode()
    assert f"Term dates of {school.name}" in body and "has no terms of its own" in body
    data = {
        "name": "Autumn 2026",
        **date_fields("first_day", D(2026, 9, 7)),
        **date_fields("last_day", D(2026, 12, 16)),
    }
    response = client.post(f"/duties/calendar/schools/{school.pk}/terms/new/", data)
    assert response["Location"] == f"/duties/calendar/schools/{school.pk}/"
    assert TermDates.objects.get(school=school).name == "Autumn 2026"
    # A school's term may overlap the LA's: they are different calendars.
    response = client.post(
        f"/duties/calendar/schools/{school.pk}/closures/new/",
        {**date_fields("date", D(2026, 11, 6)), "reason": "INSET"},
    )
    assert response.status_code == 302
    assert school.name in client.get("/duties/calendar/").content.decode()


def test_choosing_no_school_is_an_error_on_the_page(client, admin):
    response = client.get("/duties/calendar/", {"school": "999999"})
    assert response.status_code == 200
    assert "Choose a school from the list" in response.content.decode()


def test_another_las_school_cannot_be_chosen(client, admin):
    stranger = SchoolFactory(local_authority=LocalAuthorityFactory())
    assert client.get(f"/duties/calendar/schools/{stranger.pk}/").status_code == 404
    response = client.get("/duties/calendar/", {"school": stranger.pk})
    assert "Choose a school from the list" in response.content.decode()


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.AUDITOR])
def test_only_admins_keep_the_calendar(client, la, role):
    client.force_login(member(role, la))
    assert client.get("/duties/calendar/").status_code == 403
