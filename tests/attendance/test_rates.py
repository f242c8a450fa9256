"""Attendance rates: attended over possible sessions, codes that are not possible sessions left out, in SQL."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from aphub.placements.attendance.queries import (
    attendance_summary,
    percentage,
    placement_rates,
    provision_rates,
    recent_marks,
)
from aphub.placements.models import AttendanceMark
from tests.factories import LocalAuthorityFactory, member

ROBINS_WEEK = {
    # day of November 2026: (morning, afternoon)
    2: ("/", "\\"),  # present twice
    3: ("L", "B"),  # late but present; an approved educational activity
    4: ("I", "N"),  # authorised; unauthorised
    5: ("D", "Y1"),  # neither is a possible session
    6: ("O", "\\"),  # unauthorised; present
}


@pytest.fixture
def marks(area):
    made = []
    for day, (morning, afternoon) in ROBINS_WEEK.items():
        for session, code in (("AM", morning), ("PM", afternoon)):
            made.append(
                AttendanceMark(placement=area.robin, date=datetime.date(2026, 11, day), session=session, code=code)
            )
    made += [
        AttendanceMark(placement=area.sam, date=datetime.date(2026, 11, 9), session="AM", code="/"),
        AttendanceMark(placement=area.sam, date=datetime.date(2026, 11, 9), session="PM", code="M"),
        AttendanceMark(placement=area.yusuf, date=datetime.date(2026, 11, 9), session="AM", code="/"),
    ]
    AttendanceMark.objects.bulk_create(made)
    return made


def test_a_placements_summary_counts_each_kind_of_session(area, marks):
    assert attendance_summary(area.robin) == {
        "possible": 8,
        "present": 5,
        "authorised": 1,
        "unauthorised": 2,
        "rate": Decimal("62.5"),
    }
    assert attendance_summary(area.sam)["rate"] == Decimal("50.0")


def test_a_summary_can_cover_a_period(area, marks):
    summary = attendance_summary(area.robin, date_from=datetime.date(2026, 11, 4), date_to=datetime.date(2026, 11, 5))
    assert (summary["possible"], summary["present"], summary["rate"]) == (2, 0, Decimal("0.0"))


def test_a_placement_without_marks_has_no_rate(area):
    assert attendance_summary(area.robin) == {
        "possible": 0,
        "present": 0,
        "authorised": 0,
        "unauthorised": 0,
        "rate": None,
    }


@pytest.mark.parametrize(
    ("part", "whole", "rate"),
    [(2, 3, "66.7"), (1, 16, "6.3"), (5, 8, "62.5"), (0, 4, "0.0"), (7, 7, "100.0")],
)
def test_rates_are_percentages_to_one_place_rounded_half_up(part, whole, rate):
    assert percentage(part, whole) == Decimal(rate)


def test_provision_rates_follow_the_users_scope(area, marks):
    by_name = {row.name: row for row in provision_rates(area.officer)}
    assert set(by_name) == {"Horizons Centre", "Yarrow Bridge Centre"}
    horizons = by_name["Horizons Centre"]
    assert (horizons.pupils, horizons.rates.possible, horizons.rates.attended) == (2, 10, 6)
    assert horizons.rates.rate == Decimal("60.0")
    assert horizons.rates.unauthorised_rate == Decimal("20.0")
    # The commissioning school sees Sam (it commissions) and Yusuf (on its roll), not Robin.
    school = {row.name: row.rates.possible for row in provision_rates(area.commissioning_school_staff)}
    assert school == {"Horizons Centre": 2, "Yarrow Bridge Centre": 1}
    assert [row.name for row in provision_rates(area.p1_staff)] == ["Horizons Centre"]
    other_la = member(Role.LA_OFFICER, LocalAuthorityFactory(name="Yarrowdale City Council"))
    assert provision_rates(other_la) == []


def test_placement_rates_list_the_visible_placements_at_a_provision(area, marks):
    rows = placement_rates(area.officer, area.horizons.pk)
    assert [(row.placement, row.rates.rate) for row in rows] == [
        (area.robin, Decimal("62.5")),
        (area.sam, Decimal("50.0")),
    ]
    assert [row.placement for row in placement_rates(area.commissioning_school_staff, area.horizons.pk)] == [area.sam]


def test_recent_marks_give_each_weekday_its_morning_and_afternoon(area, marks):
    days = recent_marks(area.robin, days=3)
    assert [row["date"].day for row in days] == [10, 9, 6]
    assert days[0]["AM"] is None and days[2]["AM"].code == "O" and days[2]["PM"].code == "\\"


def test_recent_marks_stop_at_the_start_of_the_placement(area):
    assert len(recent_marks(area.robin, days=20)) == 7  # 2 to 6 and 9 to 10 November


# --- The rates page -------------------------------------------------------------------------------------------

URL = reverse("placements:attendance-rates")


def test_the_la_sees_each_provisions_rate(client, area, marks, django_assert_max_num_queries):
    client.force_login(area.officer)
    with django_assert_max_num_queries(12):
        page = client.get(URL + "?period=all").content.decode()
    assert "Horizons Centre" in page and "60.0%" in page and "Yarrow Bridge Centre" in page


def test_a_provision_opens_to_its_pupils_rates(client, area, marks):
    client.force_login(area.officer)
    page = client.get(URL + f"?provision={area.horizons.pk}&period=all").content.decode()
    assert "Attendance rates at Horizons Centre" in page
    assert "Robin Hartley" in page and "62.5%" in page and "Sam Okafor" in page and "50.0%" in page


def test_a_school_sees_only_its_own_pupils_at_a_provision(client, area, marks):
    client.force_login(area.commissioning_school_staff)
    page = client.get(URL + f"?provision={area.horizons.pk}&period=all").content.decode()
    assert "Sam Okafor" in page and "Robin" not in page


def test_another_organisations_provision_is_a_404(client, area, marks):
    client.force_login(area.p1_staff)
    assert client.get(URL + f"?provision={area.yarrow.pk}").status_code == 404
    client.force_login(member(Role.LA_OFFICER, LocalAuthorityFactory(name="Yarrowdale City Council")))
    assert client.get(URL + f"?provision={area.horizons.pk}").status_code == 404
    assert client.get(URL + "?provision=nonsense").status_code == 404


def test_the_period_limits_the_marks_counted(client, area, marks):
    AttendanceMark.objects.create(placement=area.yusuf, date=datetime.date(2026, 9, 15), session="AM", code="O")
    client.force_login(area.p2_staff)
    assert "50.0%" in client.get(URL + "?period=all").content.decode()
    recent = client.get(URL + "?period=4-weeks").content.decode()
    assert "100.0%" in recent and "50.0%" not in recent
    assert "Choose a period from the list" in client.get(URL + "?period=decade").content.decode()


def test_a_placements_attendance_page_shows_its_rate_and_marks(client, area, marks):
    client.force_login(area.home_school_staff)
    response = client.get(reverse("placements:attendance-placement", kwargs={"pk": area.robin.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Attendance of Robin Hartley" in page and "62.5%" in page
    assert "N – Reason for absence not yet provided" in page
    client.force_login(area.p2_staff)
    assert client.get(reverse("placements:attendance-placement", kwargs={"pk": area.robin.pk})).status_code == 404
