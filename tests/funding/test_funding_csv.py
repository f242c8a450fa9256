"""The funding lines of a year as CSV and XLSX: what finance reconciles, each line naming its child to those who may
see the child, logged as an export."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from aphub.funding.models import FundingLine
from aphub.funding.services import plan_funding
from aphub.organisations.models import Role
from aphub.placements.models import Placement
from tests.factories import (
    EpisodeFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    PupilFactory,
    SchoolFactory,
    member,
    route_for,
)

pytestmark = pytest.mark.django_db
URL = reverse("funding:lines")


def download(client, **params) -> tuple[object, list[list[str]]]:
    response = client.get(URL, {"format": "csv", **params})
    body = response.content.decode()
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


def test_the_csv_holds_the_years_lines_and_names_the_child(client, la):
    placement = placed(la, provision__name="Horizons Centre")
    client.force_login(member(Role.LA_OFFICER, la))
    response, rows = download(client, year=2026)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="funding-lines-2026-27.csv"'
    assert rows[0] == [
        "Placement id", "Pupil", "UPN", "Provision", "Route", "Kind", "Payer", "Payer school URN", "Financial year",
        "Period start", "Period end", "Days", "Annual rate", "Amount",
    ]  # fmt: skip
    assert rows[1:] == [
        [
            str(placement.pk),
            "Robin Hartley-Unique",
            placement.pupil.upn,
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
            "Robin Hartley-Unique",
            placement.pupil.upn,
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


def test_a_formula_in_a_provision_name_is_written_as_text(client, la):
    placed(la, provision__name='=HYPERLINK("http://evil.example","Click")')
    client.force_login(member(Role.LA_ADMIN, la))
    _, rows = download(client, year=2026)
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","Click")'


def test_another_las_lines_are_not_in_the_csv(client, la):
    placed(la, provision__name="Horizons Centre")
    other = LocalAuthorityFactory(name="Yarrowdale City Council")
    placed(other, provision__name="Yarrow Learning Hub")
    client.force_login(member(Role.AUDITOR, la))
    _, rows = download(client, year=2026)
    assert {row[3] for row in rows[1:]} == {"Horizons Centre"}


def test_a_bad_year_gives_the_page_with_its_error_not_a_file(client, la):
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.get(URL, {"format": "csv", "year": "next"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Choose a financial year from the list" in response.content.decode()


def test_the_page_links_to_its_csv(client, la):
    placed(la)
    client.force_login(member(Role.LA_OFFICER, la))
    page = client.get(URL).content.decode()
    assert f"{URL}?year=2026&amp;format=csv" in page and f"{URL}?year=2026&amp;format=xlsx" in page
    assert "Robin Hartley-Unique" in page and placement_upn(la) in page  # the lines name their child


def placement_upn(la) -> str:
    return Placement.objects.get(pupil__local_authority=la).pupil.upn


def test_the_xlsx_holds_the_same_lines_with_money_as_numbers(client, la):
    placement = placed(la, provision__name="Horizons Centre")
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.get(URL, {"format": "xlsx", "year": 2026})
    assert response["Content-Disposition"] == 'attachment; filename="funding-lines-2026-27.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][:4] == (placement.pk, "Robin Hartley-Unique", placement.pupil.upn, "Horizons Centre")
    assert rows[1][9] == datetime.datetime(2026, 11, 10)  # noqa: DTZ001 (a date cell)
    assert rows[1][13] == pytest.approx(3890.41) and sheet.cell(row=2, column=14).number_format == "0.00"


def test_the_download_is_logged_as_an_export_of_each_child_named(client, la):
    placement = placed(la)
    officer = member(Role.LA_OFFICER, la)
    client.force_login(officer)
    download(client, year=2026)
    exported = AccessLogEntry.objects.filter(verb="export")
    assert [(entry.object_type, entry.object_id, entry.user_email) for entry in exported] == [
        ("pupils.Pupil", str(placement.pupil_id), officer.email)
    ]


def test_a_school_sees_the_names_of_the_children_it_pays_for_and_no_other_lines(client, la):
    school = SchoolFactory(local_authority=la, name="Kingsmead School")
    placed(la, provision__name="Horizons Centre")  # the LA pays
    pupil = PupilFactory(local_authority=la, first_name="Sam", last_name="Kingsmead-Pupil")
    episode = EpisodeFactory(pupil=pupil, route=route_for(la, "short-term-intervention"), school=school)
    bought = PlacementFactory(
        pupil=pupil, episode=episode, commissioner="school", commissioning_school=school, provision__name="Bridges"
    )
    plan_funding(placement=bought)
    client.force_login(member(Role.SCHOOL_STAFF, school))
    _, rows = download(client, year=2026)
    assert {(row[1], row[3]) for row in rows[1:]} == {("Sam Kingsmead-Pupil", "Bridges")}


def test_a_line_a_school_pays_for_a_child_it_may_not_see_names_no_child(client, la):
    # A school billed for a placement the LA made for a child never on its roll: the school reconciles the money but
    # the child's name and UPN are not its to read (Pupil.objects.visible_to).
    school = SchoolFactory(local_authority=la, name="Kingsmead School")
    placement = placed(la, provision__name="Horizons Centre")
    FundingLine.objects.create(
        placement=placement,
        local_authority=la,
        kind=FundingLine.Kind.TOP_UP,
        payer=FundingLine.Payer.SCHOOL,
        payer_school=school,
        financial_year=2026,
        period_start=datetime.date(2026, 11, 10),
        period_end=datetime.date(2027, 3, 31),
        days=142,
        annual_rate="5000.00",
        amount="1945.21",
    )
    client.force_login(member(Role.SCHOOL_STAFF, school))
    _, rows = download(client, year=2026)
    assert [row[:4] for row in rows[1:]] == [[str(placement.pk), "", "", "Horizons Centre"]]
    page = client.get(URL, {"year": 2026}).content.decode()
    assert "Hartley-Unique" not in page and placement.pupil.upn not in page and f"Placement {placement.pk}" in page
    assert not AccessLogEntry.objects.filter(verb="export").exists()
