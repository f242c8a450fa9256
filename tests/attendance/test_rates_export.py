"""A provision's pupils' attendance rates as CSV and XLSX: the rows the page shows for the period, in the user's
scope, logged as an export of each placement."""

# ruff: noqa: F811 (the rates tests' fixture, imported, is redefined as an argument by pytest's design)

import csv
import io

from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from tests.attendance.test_rates import URL, marks  # noqa: F401 (fixture)


def test_the_csv_holds_each_pupils_rates_at_the_provision(client, area, marks):
    client.force_login(area.officer)
    response = client.get(URL, {"provision": area.horizons.pk, "period": "all", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Pupil", "UPN", "Placement id", "Placement status", "Start", "Possible sessions", "Attendance (%)",
        "Authorised absence (%)", "Unauthorised absence (%)",
    ]  # fmt: skip
    by_pupil = {row[0]: row for row in rows[1:]}
    assert set(by_pupil) == {"Robin Hartley", "Sam Okafor"}
    assert by_pupil["Robin Hartley"][6] == "62.5" and by_pupil["Sam Okafor"][6] == "50.0"
    logged = AccessLogEntry.objects.filter(verb="export", object_type="placements.Placement")
    assert {entry.object_id for entry in logged} == {str(area.robin.pk), str(area.sam.pk)}


def test_a_school_downloads_only_its_own_pupils_rates(client, area, marks):
    client.force_login(area.commissioning_school_staff)
    response = client.get(URL, {"provision": area.horizons.pk, "period": "all", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Sam Okafor"]


def test_the_provisions_page_links_to_its_downloads(client, area, marks):
    client.force_login(area.officer)
    page = client.get(URL, {"provision": area.horizons.pk, "period": "all"}).content.decode()
    assert f'href="{URL}?provision={area.horizons.pk}&amp;period=all&amp;format=csv"' in page
