"""Reading an uploaded table, CSV or XLSX, as rows of text with the line a spreadsheet program shows for each.

Imports that take "CSV or XLSX" (a school's census AP return, an LA's budget) read the file here and check the same
rows of text whichever it was, so a value means the same in both:

- The kind is read from the file's bytes, never its name: an XLSX file is a zip archive holding `xl/workbook.xml`;
  anything else is read as CSV text (UTF-8, with or without Excel's byte order mark, else Windows-1252) through
  csv_files.read_rows, which refuses a file whose rows do not parse cleanly.
- From XLSX, the first worksheet is read. A date cell becomes an ISO date (2026-11-10), a whole number has no ".0"
  (a URN typed as a number stays 123456), a decimal is written as typed (12.5), an empty cell is "". So a UPN,
  URN or date that a spreadsheet stored as a number or a date reads as the text a user would have typed.
- Rows that are entirely empty are given as empty lists, as the csv module gives blank lines, so the callers skip
  them and the line numbers stay those of the spreadsheet.
"""

import datetime
import io
import zipfile
from decimal import Decimal

from aphub.core.errors import DomainError
from aphub.core.files.csv_files import read_rows

MAX_TABLE_BYTES = 20 * 1024 * 1024  # 10,000 census rows are about 1.5 MB as CSV


class TableFileError(DomainError):
    """The file cannot be read as a table at all (too large, a damaged or password-protected spreadsheet)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


def text_of(content: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without Excel's byte order mark), else Windows-1252."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def read_table(content: bytes) -> list[tuple[int, list[str]]]:
    """Every row of the file with its line (the header is line 1), as text. Raises TableFileError or
    csv_files.CsvFileError (a DomainError naming the line) when the file cannot be read."""
    if len(content) > MAX_TABLE_BYTES:
        raise TableFileError(
            f"The file is larger than {MAX_TABLE_BYTES // (1024 * 1024)} MB; split it and send each part"
        )
    if is_xlsx(content):
        return _xlsx_rows(content)
    if content.startswith(b"PK\x03\x04"):
        raise TableFileError("The file is a zip archive, not a spreadsheet: send a CSV or an Excel (.xlsx) file")
    return list(read_rows(text_of(content)))


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; each means the same to the user
        raise TableFileError(
            "The spreadsheet cannot be read: it may be damaged or protected by a password. "
            "Open it, save it again as .xlsx (or CSV) and send that"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = [_cell_text(value) for value in cells]
            while values and values[-1] == "":
                values.pop()
            rows.append((line, values))
        return rows
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A date cell comes back as a date-time at midnight; a real time of day is kept.
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Through Decimal(str()) so 12.5 stays "12.5" and 123456.0 becomes "123456".
        number = Decimal(str(value))
        return str(number.to_integral_value()) if number == number.to_integral_value() else str(number)
    return str(value).strip()
