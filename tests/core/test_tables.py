"""core.files.tables: a CSV or XLSX upload read as the rows of text a user would have typed."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from aphub.core.files.csv_files import CsvFileError
from aphub.core.files.tables import TableFileError, read_table


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_spreadsheets_numbers_and_dates_read_as_typed():
    content = xlsx(
        ("urn", "entry_date", "hours", "cost", "note"),
        (141234, datetime.date(2026, 9, 7), 7.5, 350, "  spaced  "),
        (None, None, None, None, None),
        ("000123", datetime.datetime(2026, 9, 7, 13, 30), 12.0, 12.25, True),  # noqa: DTZ001 (a cell has no zone)
    )
    assert read_table(content) == [
        (1, ["urn", "entry_date", "hours", "cost", "note"]),
        (2, ["141234", "2026-09-07", "7.5", "350", "spaced"]),
        (3, []),  # an empty row keeps its line, as a blank CSV line does
        (4, ["000123", "2026-09-07 13:30:00", "12", "12.25", "yes"]),
    ]


def test_csv_is_read_strictly_whatever_its_encoding():
    assert read_table("upn,name\r\nA1,Zoë\r\n".encode()) == [(1, ["upn", "name"]), (2, ["A1", "Zoë"])]
    assert read_table("\ufeffupn,name\nA1,Zoë\n".encode()) == [(1, ["upn", "name"]), (2, ["A1", "Zoë"])]
    assert read_table("upn,name\nA1,Zoë\n".encode("cp1252"))[1] == (2, ["A1", "Zoë"])
    with pytest.raises(CsvFileError) as error:
        read_table(b'upn,name\nA1,"Zo\nA2,Sam\n')
    assert error.value.line == 2


def test_a_zip_that_is_not_a_spreadsheet_and_a_damaged_spreadsheet_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(TableFileError, match="zip archive"):
        read_table(buffer.getvalue())
    damaged = bytearray(xlsx(("a",), (1,)))
    damaged[len(damaged) // 2 : len(damaged) // 2 + 200] = b"\0" * 200
    with pytest.raises((TableFileError, CsvFileError)):
        read_table(bytes(damaged))


def test_a_file_too_large_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr("aphub.core.files.tables.MAX_TABLE_BYTES", 10)
    with pytest.raises(TableFileError, match="larger than"):
        read_table(b"upn,name\nA1,Sam\n")
