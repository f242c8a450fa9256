"""Lists as spreadsheets: a list declares its columns once, as (heading, accessor), and gets CSV and XLSX from them.

Every list a user takes into a spreadsheet (pupils, placements, referrals, the worklist, funding lines...) exports
through here, so the rules below hold everywhere:

- A text cell that starts with = + - @ (or a tab or carriage return) is written with a leading apostrophe in CSV,
  so a spreadsheet program shows it rather than running it as a formula (OWASP "CSV injection"); names of
  provisions, schools and children are typed by people outside the LA. In XLSX every text cell is stored as text,
  never as a formula.
- Dates are ISO dates (2026-11-10), date-times ISO in UK local time to the minute; money is a number with two
  decimals (3890.41), never "£3,890.41", so a spreadsheet can add it up.
- The view filters, scopes and logs: this module only writes what it is given. The access log of the export (verb
  "export") is the caller's, since `core` imports nothing of ours.

A view offers the download with `?format=csv` or `?format=xlsx` on the list's own URL (the same filters, all pages)
and `download_links(request)` for the page's link.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What a spreadsheet program may read as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PENNY = Decimal("0.01")
DATE_FORMAT = "yyyy-mm-dd"
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "0.00"
# A workbook of several tables for a meeting (the Schools Forum pack) shows money in pounds: still a number to add up.
POUNDS_FORMAT = '"£"#,##0.00'


@dataclass(frozen=True)
class Column:
    """One column of a list's export: its heading and how to read its value from a row.

    `money=True` writes a Decimal as money (two decimals). Other values are written by their type: text, whole
    numbers, decimals, dates, date-times, yes/no for booleans, an empty cell for None.
    """

    heading: str
    value: Callable[[Any], object]
    money: bool = False


@dataclass(frozen=True)
class Export:
    """A list's export: the file name (without extension) and its columns, declared once beside the list's view."""

    name: str
    columns: Sequence[Column]

    def response(self, rows: Iterable, fmt: str, *, name: str = "") -> HttpResponse:
        """The rows as a file to download; `name` replaces the list's file name (e.g. with the year it covers)."""
        name = name or self.name
        headings, values = self.headings(), self.values(rows)
        if fmt == CSV:
            return _file_response(_csv(headings, values), CSV, name)
        workbook = Workbook(write_only=True)
        _add_sheet(workbook, name, headings, values, MONEY_FORMAT)
        return _file_response(_saved(workbook), XLSX, name)

    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    def values(self, rows: Iterable) -> Iterable[list[object]]:
        return ([_plain(column.value(row), money=column.money) for column in self.columns] for row in rows)


def workbook_bytes(sheets: Sequence[tuple[str, Export, Iterable]]) -> bytes:
    """One XLSX file of several tables, a sheet each (title, export, rows), money in pounds (POUNDS_FORMAT): for a
    file kept rather than sent (the committee pack the task worker makes)."""
    workbook = Workbook(write_only=True)
    for title, export, rows in sheets:
        _add_sheet(workbook, title, export.headings(), export.values(rows), POUNDS_FORMAT)
    return _saved(workbook)


def workbook_response(sheets: Sequence[tuple[str, Export, Iterable]], *, name: str) -> HttpResponse:
    """workbook_bytes as a download named `name`.xlsx."""
    return _file_response(workbook_bytes(sheets), XLSX, name)


def _file_response(body: str | bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def requested_format(request: HttpRequest) -> str | None:
    """ "csv" or "xlsx" when the list is asked for as a file (?format=), otherwise None: the page."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def download_links(request: HttpRequest, **shown: object) -> dict[str, str]:
    """The page's own URL with its filters, without its page number, asking for each format.

    `shown` names a filter's value the page chose itself (a default year), so the file holds what the page shows.
    """
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in shown.items():
        query[name] = str(value)
    links = {}
    for fmt in FORMATS:
        query["format"] = fmt
        links[fmt] = f"{request.path}?{query.urlencode()}"
    return links


def _plain(value: object, *, money: bool) -> object:
    """A cell's value as one of: str, int, Decimal, date, naive local datetime, or None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, datetime.date | int):
        return value
    if isinstance(value, Decimal):
        return value.quantize(PENNY) if money else value
    if isinstance(value, float):
        return Decimal(str(value)).quantize(PENNY) if money else Decimal(str(value))
    return str(value)


def neutralise(text: str) -> str:
    """Text a spreadsheet program will show as text, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return str(value)
    return neutralise(str(value))


def _csv(headings: list[str], rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue()


def _add_sheet(
    workbook: Workbook, title: str, headings: list[str], rows: Iterable[list[object]], money_format: str
) -> None:
    # Write-only mode streams rows into the file instead of holding a cell object per value.
    sheet = workbook.create_sheet(title=sheet_title(title, taken=workbook.sheetnames))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, money_format) for value in row])


def sheet_title(title: str, *, taken: Sequence[str] = ()) -> str:
    """A title Excel accepts: none of [ ] : * ? / \\, at most 31 characters, unlike the sheets before it (a figure's
    title "Children in AP, 2025/26" becomes "Children in AP, 2025-26")."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", title).strip("' ") or "Sheet"
    candidate, number = cleaned[:31], 1
    while candidate in taken:
        number += 1
        candidate = f"{cleaned[: 31 - len(str(number)) - 1]} {number}"
    return candidate


def _saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet, value: object, money_format: str = MONEY_FORMAT) -> Cell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=None)
        # Control characters are not allowed in an XLSX file; and a text cell is text, never a formula.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        return cell
    # A row holds whatever a download lists (Decimal, date, bool as well); types-openpyxl's WriteOnlyCell names fewer.
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    if isinstance(value, datetime.datetime):
        cell.number_format = DATE_TIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal) and value.as_tuple().exponent == -2:
        cell.number_format = money_format
    return cell
