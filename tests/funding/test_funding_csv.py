"""The LA's funding lines of a year as CSV: what finance reconciles, with no child's name in it."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from aphub.funding.services import plan_funding
from aphub.organisations.models import Role
from tests.factories import EpisodeFactory, LocalAuthorityFactory, PlacementFactory, PupilFactory, member, route_for

pytestmark = pytest.mark.django_db
URL = reverse("funding:lines")


def download(client, **params) -> tuple[object, list[list[str]]]:
    response = client.get(URL, {"format": "csv", **params})
    body = b"".join(response.streaming_content).decode()
    return response, list(csv.reader(io.StringIO(body)))


@pytest.fixture(autouse=True)
def _in_december_2026():
    with time_machine.travel(datetime.date(2026, 12, 1), tick=False):
        yield


@pytest.fixture
def la():
    return LocalAuthorityFactory(name="Elmbridge Borough Council")


def placed(la, **fields):
    pupil = PupilFactory(local_authority=la, first_name="Robin", last_name="Hartley-Unique")
    placement = PlacementFactory(pupil=pupil, episode=EpisodeFactory(pupil=pupil, route=route_for(la)), **fields)
    plan_funding(placement=placement)
    return placement


def test_the_csv_holds_the_years_lines_and_no_child(client, la):
    placement = placed(la, provision__name="Horizons Centre")
    client.force_login(member(Role.LA_OFFICER, la))
    response, rows = download(client, year=2026)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="funding-lines-2026-27.csv"'
    assert rows[0][:4] == ["placement id", "provision", "route", "kind"]
    assert rows[1:] == [
        [
            str(placement.pk),
            "Horizons Centre",
            "From the 6th day following a permanent exclusion",
            "Place funding",
            "Local authority (High Needs Block)",
            "",
            "2026-27",
            "2026-11-10",
            "2027-03-31",
            "142",
            "10000.00",
            "3890.41",
        ],
        [
            str(placement.pk),
            "Horizons Centre",
            "From the 6th day following a permanent exclusion",
            "Top-up",
            "Local authority (High Needs Block)",
            "",
            "2026-27",
            "2026-11-10",
            "2027-03-31",
            "142",
            "8000.00",
            "3112.33",
        ],
    ]
    text = str(rows)
    assert "Hartley-Unique" not in text and placement.pupil.upn not in text


def test_a_formula_in_a_provision_name_is_written_as_text(client, la):
    placed(la, provision__name='=HYPERLINK("http://evil.example","Click")')
    client.force_login(member(Role.LA_ADMIN, la))
    _, rows = download(client, year=2026)
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Click")'


def test_another_las_lines_are_not_in_the_csv(client, la):
    placed(la, provision__name="Horizons Centre")
    other = LocalAuthorityFactory(name="Yarrowdale City Council")
    placed(other, provision__name="Yarrow Learning Hub")
    client.force_login(member(Role.AUDITOR, la))
    _, rows = download(client, year=2026)
    assert {row[1] for row in rows[1:]} == {"Horizons Centre"}


def test_a_bad_year_gives_the_page_with_its_error_not_a_file(client, la):
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.get(URL, {"format": "csv", "year": "next"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Choose a financial year from the list" in response.content.decode()


def test_the_page_links_to_its_csv(client, la):
    placed(la)
    client.force_login(member(Role.LA_OFFICER, la))
    page = client.get(URL).content.decode()
    assert f"{URL}?year=2026&amp;format=csv" in page
