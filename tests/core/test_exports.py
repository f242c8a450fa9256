"""The one export piece every list uses: columns declared once, written as CSV or XLSX that a spreadsheet reads
safely (no formula runs), with ISO dates and money as numbers to the penny."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from aphub.core.files.exports import Column, Export, download_links, requested_format

LINES = Export(
    "funding-lines",
    [
        Column("Name", lambda row: row["name"]),
        Column("From", lambda row: row["on"]),
        Column("Amount", lambda row: row["amount"], money=True),
        Column("Hours", lambda row: row["hours"]),
        Column("Days", lambda row: row["days"]),
        Column("Full time", lambda row: row["full_time"]),
        Column("Sent", lambda row: row["sent"]),
    ],
)
ROW = {
    "name": "Horizons Centre",
    "on": datetime.date(2026, 11, 10),
    "amount": Decimal("3890.4"),
    "hours": Decimal("12.5"),
    "days": 142,
    "full_time": True,
    "sent": datetime.datetime(2026, 11, 10, 9, 30, 12, tzinfo=datetime.UTC),
}


def csv_rows(rows) -> list[list[str]]:
    response = LINES.response(rows, "csv")
    assert response["Content-Disposition"] == 'attachment; filename="funding-lines.csv"'
    return list(csv.reader(io.StringIO(response.content.decode())))


def sheet(rows):
    response = LINES.response(rows, "xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="funding-lines.xlsx"'
    return load_workbook(io.BytesIO(response.content)).active


def test_csv_has_iso_dates_money_to_the_penny_and_local_times():
    assert csv_rows([ROW]) == [
        ["Name", "From", "Amount", "Hours", "Days", "Full time", "Sent"],
        # 09:30 UTC is 09:30 in London in November (GMT).
        ["Horizons Centre", "2026-11-10", "3890.40", "12.5", "142", "Yes", "2026-11-10 09:30"],
    ]


def test_xlsx_has_numbers_and_dates_a_spreadsheet_can_add_up():
    found = sheet([ROW])
    assert [cell.value for cell in found[1]] == ["Name", "From", "Amount", "Hours", "Days", "Full time", "Sent"]
    name, on, amount, hours, days, full_time, sent = found[2]
    assert on.value == datetime.datetime(2026, 11, 10) and on.number_format == "yyyy-mm-dd"  # noqa: DTZ001
    assert amount.value == pytest.approx(3890.40) and amount.number_format == "0.00"
    assert hours.value == pytest.approx(12.5) and days.value == 142 and full_time.value == "Yes"
    assert sent.value == datetime.datetime(2026, 11, 10, 9, 30)  # noqa: DTZ001


@pytest.mark.parametrize("typed", ["=1+2", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")'])
def test_a_cell_that_would_run_as_a_formula_is_text(typed):
    assert csv_rows([{**ROW, "name": typed}])[1][0] == "'" + typed
    cell = sheet([{**ROW, "name": typed}])["A2"]
    assert cell.data_type == "s" and cell.value.strip() == typed.strip()


def test_ordinary_text_and_negative_money_are_left_alone():
    rows = csv_rows([{**ROW, "name": "Bridges - Outreach", "amount": Decimal("-12.5")}])
    assert rows[1][0] == "Bridges - Outreach" and rows[1][2] == "-12.50"


def test_control_characters_do_not_break_the_spreadsheet():
    assert sheet([{**ROW, "name": "Bell\x07 and NUL\x00"}])["A2"].value == "Bell and NUL"


def test_empty_values_are_empty_cells():
    rows = csv_rows([{**ROW, "on": None, "name": None}])
    assert rows[1][:2] == ["", ""]


def test_the_format_is_asked_for_in_the_query_string_and_links_keep_the_filters_without_the_page():
    request = RequestFactory().get("/pupils/", {"tier": "2", "page": "3", "format": "xlsx"})
    assert requested_format(request) == "xlsx"
    assert requested_format(RequestFactory().get("/pupils/", {"format": "pdf"})) is None
    assert download_links(request) == {"csv": "/pupils/?tier=2&format=csv", "xlsx": "/pupils/?tier=2&format=xlsx"}
