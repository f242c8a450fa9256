"""The pupils list: each child's school and current placement, filters that work without JavaScript, pages whose
query count does not grow with their rows, and the same rows as CSV and XLSX, logged as an export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from aphub.organisations.models import Role
from tests.factories import (
    EnrolmentFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    PupilFactory,
    SchoolFactory,
    member,
)

URL = reverse("placements:pupils")


@pytest.fixture
def children(town):
    """Ada at Ashgrove in an active tier 2 placement, Ben at Birchwood offered a tier 3 one, Cy at Ashgrove with
    none (his placement ended), and Dee in another LA."""
    ada = town.pupil(first_name="Ada", last_name="Ashby")
    PlacementFactory(pupil=ada, provision=town.provision(name="Horizons Centre"), tier="2", status="active")
    ben = town.pupil(town.school_b, first_name="Ben", last_name="Birch")
    PlacementFactory(pupil=ben, provision=town.provision(name="Second Step"), tier="3", status="offered")
    cy = town.pupil(first_name="Cy", last_name="Cole")
    PlacementFactory(
        pupil=cy,
        provision=town.provision(name="Old Mill"),
        status="ended",
        start_date=datetime.date(2026, 9, 7),
        end_date=datetime.date(2026, 10, 16),
    )
    other = LocalAuthorityFactory(name="Yarrowdale City Council")
    dee = PupilFactory(local_authority=other, first_name="Dee", last_name="Dunmore")
    EnrolmentFactory(pupil=dee, school=SchoolFactory(local_authority=other, name="Yarrow School"))
    PlacementFactory(pupil=dee, tier="2", status="active")
    return ada, ben, cy, dee


def names(response) -> list[str]:
    page = response.content.decode()
    return [name.split()[1] for name in ("Ada Ashby", "Ben Birch", "Cy Cole", "Dee Dunmore") if name in page]


def download(client, fmt: str, **params) -> list[list]:
    response = client.get(URL, {**params, "format": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        return list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == 'attachment; filename="pupils.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()  # a date cell (openpyxl reads every date as a datetime)
    return value


def test_each_child_shows_their_school_and_current_placement(client, town, children):
    client.force_login(town.officer)
    response = client.get(URL)
    page = response.content.decode()
    assert names(response) == ["Ashby", "Birch", "Cole"]
    assert "Ashgrove Academy" in page and "Birchwood High School" in page
    assert "Horizons Centre" in page and "Tier 2" in page and "Active" in page
    assert "Second Step" in page and "Tier 3" in page and "Offered" in page
    assert "Old Mill" not in page  # an ended placement is not current


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"q": "ada"}, ["Ashby"]),
        ({"placement": "current"}, ["Ashby", "Birch"]),
        ({"placement": "none"}, ["Cole"]),
        ({"placement": "offered"}, ["Birch"]),
        ({"tier": "2"}, ["Ashby"]),
        ({"school": "b"}, ["Birch"]),
        ({"school": "a", "placement": "none"}, ["Cole"]),
    ],
)
def test_the_filters_narrow_the_list(client, town, children, params, shown):
    if "school" in params:
        params["school"] = {"a": town.school_a, "b": town.school_b}[params["school"]].pk
    client.force_login(town.officer)
    assert names(client.get(URL, params)) == shown


def test_a_pupil_is_found_by_upn(client, town, children):
    ada = children[0]
    client.force_login(town.officer)
    assert names(client.get(URL, {"q": ada.upn.lower()})) == ["Ashby"]


def test_a_filter_value_not_in_the_list_is_an_error_on_the_page(client, town, children):
    client.force_login(town.officer)
    response = client.get(URL, {"tier": "9", "school": "99999999999999999999999", "format": "csv"})
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "There is a problem" in page and "Choose a tier from the list" in page
    assert "Choose a school from the list" in page


def test_school_staff_see_only_their_own_schools_enrolment_and_no_school_filter(client, town, children):
    ada = children[0]
    EnrolmentFactory(pupil=ada, school=town.school_b, start_date=datetime.date(2026, 1, 5))  # now also at Birchwood
    client.force_login(town.school_a_staff)
    response = client.get(URL)
    page = response.content.decode()
    assert names(response) == ["Ashby", "Cole"]
    assert "Birchwood High School" not in page  # another school's roll is its own business
    assert 'name="school"' not in page


def test_a_provider_sees_only_its_own_placements_as_current(client, town, children):
    ada = children[0]
    PlacementFactory(
        pupil=ada, provision=town.provision(town.provider_p2, name="Far Away Tuition"), is_full_time=False,
        part_time_reason="Anxiety", part_time_review_date=datetime.date(2026, 12, 1), status="accepted",
    )  # fmt: skip
    client.force_login(town.p2_staff)
    page = client.get(URL).content.decode()
    assert "Far Away Tuition" in page and "Horizons Centre" not in page


def test_pages_of_pupils_are_linked_and_keep_the_filters(client, town, children, monkeypatch):
    monkeypatch.setattr("aphub.core.web.views.PAGE_SIZE", 2)
    for number in range(3):
        PlacementFactory(pupil=town.pupil(first_name=f"Eve{number}", last_name=f"Evans{number}"), tier="2")
    client.force_login(town.officer)
    page = client.get(URL, {"tier": "2"}).content.decode()
    assert "4 pupils" in page and "?tier=2&amp;page=2" in page


@pytest.mark.parametrize("how_many", [5, 50])
def test_a_page_of_pupils_costs_the_same_queries_however_many_rows(
    client, town, how_many, django_assert_max_num_queries
):
    for number in range(how_many):
        pupil = town.pupil(first_name=f"Child{number}", last_name=f"Lastname{number}")
        if number % 2:
            PlacementFactory(pupil=pupil, provision=town.provision(), tier="2")
    client.force_login(town.officer)
    client.get(URL)  # warm the session and the membership
    # Session, user, membership, schools for the filter, count, the page: the same for 5 rows as for 50.
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"placement": "", "tier": ""})
    assert response.status_code == 200
    assert f"{how_many} pupils" in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_download_holds_the_filtered_rows_of_every_page_and_no_other_las(client, town, children, fmt, monkeypatch):
    monkeypatch.setattr("aphub.core.web.views.PAGE_SIZE", 1)
    ada, ben, cy, dee = children
    client.force_login(town.officer)
    rows = download(client, fmt, placement="current")
    assert rows[0] == [
        "Name", "UPN", "Temporary UPN", "Date of birth", "School", "Current placement", "Tier", "Placement status",
    ]  # fmt: skip
    born = "2012-03-14" if fmt == "csv" else datetime.date(2012, 3, 14)
    assert rows[1:] == [
        ["Ada Ashby", ada.upn, "No", born, "Ashgrove Academy", "Horizons Centre", "Tier 2", "Active"],
        ["Ben Birch", ben.upn, "No", born, "Birchwood High School", "Second Step", "Tier 3", "Offered"],
    ]
    everyone = download(client, fmt)
    assert [row[0] for row in everyone[1:]] == ["Ada Ashby", "Ben Birch", "Cy Cole"]  # never Dee, of another LA


def test_the_download_is_logged_as_an_export_of_each_pupil(client, town, children):
    ada, ben, cy, dee = children
    client.force_login(town.officer)
    before = AccessLogEntry.objects.count()
    client.get(URL, {"placement": "current", "format": "xlsx"})
    exported = AccessLogEntry.objects.filter(verb="export", object_type="pupils.Pupil")
    assert {entry.object_id for entry in exported} == {str(ada.pk), str(ben.pk)}
    assert {entry.path for entry in exported} == {URL} and {entry.user_email for entry in exported} == {
        town.officer.email
    }
    assert AccessLogEntry.objects.count() == before + 2


def test_a_formula_in_a_name_is_written_as_text(client, town):
    town.pupil(first_name='=HYPERLINK("http://evil.example")', last_name="@Smith")
    client.force_login(town.officer)
    rows = download(client, "csv")
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example") @Smith'
    sheet = load_workbook(io.BytesIO(client.get(URL, {"format": "xlsx"}).content)).active
    assert sheet["A2"].value == '=HYPERLINK("http://evil.example") @Smith'
    assert sheet["A2"].data_type == "s"  # stored as text, never as a formula


def test_the_page_links_to_its_downloads_with_its_filters(client, town, children):
    client.force_login(town.officer)
    page = client.get(URL, {"tier": "2", "page": "1"}).content.decode()
    assert f'href="{URL}?tier=2&amp;format=csv"' in page
    assert f'href="{URL}?tier=2&amp;format=xlsx"' in page


def test_school_staff_download_only_their_pupils(client, town, children):
    client.force_login(member(Role.SCHOOL_STAFF, town.school_b))
    rows = download(client, "csv")
    assert [row[0] for row in rows[1:]] == ["Ben Birch"]


def test_with_a_filter_error_the_page_links_never_download(client, town, monkeypatch):
    monkeypatch.setattr("aphub.core.web.views.PAGE_SIZE", 1)
    town.pupil()
    town.pupil()
    client.force_login(town.officer)
    page = client.get(URL, {"tier": "9", "format": "csv"}).content.decode()
    assert "?tier=9&amp;page=2" in page
