"""The worklist as CSV and XLSX: the same filtered clocks as the page, every page, in the user's scope, with the
school days counted, and logged as an export of each clock."""

# ruff: noqa: F811 (the worklist page's fixtures, imported, are redefined as arguments by pytest's design)

import csv
import io

import pytest
from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from aphub.duties.services import default_term_dates, load_term_dates
from aphub.organisations.models import Role
from tests.duties.test_worklist_page import URL, _today, clocks, excluded  # noqa: F401 (fixtures)
from tests.factories import LocalAuthorityFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db


def csv_rows(client, **params) -> list[list[str]]:
    response = client.get(URL, {**params, "format": "csv"})
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="worklist.csv"'
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_holds_every_filtered_clock_with_its_school_days(client, la, clocks):
    client.force_login(member(Role.LA_OFFICER, la))
    rows = csv_rows(client, rule="permanent-exclusion")
    assert rows[0] == [
        "Child",
        "UPN",
        "Duty",
        "Who must act",
        "Due",
        "School days left",
        "School days overdue",
        "State",
    ]
    ada = clocks["ada"]
    assert rows[1] == [
        ada.full_name,
        ada.upn,
        "Full-time education from the 6th school day of a permanent exclusion",
        "Elmbridge Borough Council",
        "2026-11-10",
        "",
        "2",
        "Breached",
    ]
    assert [row[0] for row in rows[1:]] == [clocks[name].full_name for name in ("ada", "bea", "cal")]


def test_the_download_holds_every_page(client, la, clocks, monkeypatch):
    monkeypatch.setattr("aphub.duties.queries.WORKLIST_PAGE_SIZE", 2)
    client.force_login(member(Role.LA_OFFICER, la))
    assert len(csv_rows(client)) == 1 + 6


def test_the_xlsx_opens_with_the_same_rows(client, la, clocks):
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.get(URL, {"format": "xlsx", "state": "breached"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == clocks["ada"].full_name and rows[1][6] == 2


def test_another_las_clocks_are_never_in_the_download(client, la, clocks):
    other = LocalAuthorityFactory()
    load_term_dates(local_authority=other, **default_term_dates())
    stranger = excluded(other, SchoolFactory(local_authority=other), first_name="Zed")
    client.force_login(member(Role.LA_OFFICER, la))
    assert stranger.full_name not in str(csv_rows(client))


def test_the_download_is_logged_as_an_export_of_each_clock(client, la, clocks):
    officer = member(Role.LA_OFFICER, la)
    client.force_login(officer)
    csv_rows(client, rule="permanent-exclusion")
    exported = AccessLogEntry.objects.filter(verb="export")
    assert exported.count() == 3
    assert {(entry.object_type, entry.user_email, entry.path) for entry in exported} == {
        ("duties.Clock", officer.email, URL)
    }


def test_the_page_links_to_its_downloads_with_its_filters(client, la, clocks):
    client.force_login(member(Role.LA_OFFICER, la))
    page = client.get(URL, {"state": "breached"}).content.decode()
    assert f'href="{URL}?state=breached&amp;format=csv"' in page
    assert f'href="{URL}?state=breached&amp;format=xlsx"' in page


def test_a_bad_filter_gives_the_page_with_its_error_not_a_file(client, la, clocks):
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.get(URL, {"state": "asleep", "format": "csv"})
    assert (
        response["Content-Type"].startswith("text/html") and "Choose a state from the list" in response.content.decode()
    )
