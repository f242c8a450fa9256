"""Reading the DfE 'Get Information About Schools' (GIAS) establishments CSV.

The national extract (edubasealldata*.csv) is encoded in Windows-1252 and has about 140 columns; AP Hub reads the
few below and ignores the rest. Files saved again by a spreadsheet are often UTF-8 (with a byte-order mark), so
UTF-8 is tried first: Windows-1252 text with any accented letter is rarely valid UTF-8.
"""

from dataclasses import dataclass
from pathlib import Path

from aphub.core.errors import DomainError
from aphub.core.files.csv_files import CsvFileError, read_rows

URN = "URN"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
NAME = "EstablishmentName"
TYPE = "TypeOfEstablishment (name)"
STATUS = "EstablishmentStatus (name)"
PHASE = "PhaseOfEducation (name)"
POSTCODE = "Postcode"
UKPRN = "UKPRN"
# Present in the national extract; needed only to set up an LA that AP Hub does not know yet.
GSS_CODE = "GSSLACode (name)"

REQUIRED_COLUMNS = (URN, LA_CODE, LA_NAME, NAME, TYPE, STATUS, PHASE, POSTCODE, UKPRN)

# GIAS 'EstablishmentStatus (name)'. A school proposed to close is still open, and still teaching pupils.
OPEN_STATUSES = frozenset({"Open", "Open, but proposed to close"})
CLOSED = "Closed"
KNOWN_STATUSES = OPEN_STATUSES | {CLOSED, "Proposed to open"}

# Registered AP (DfE 'Arranging alternative provision', 2025): pupil referral units, AP academies and AP free
# schools are schools in law, so each is also a provider AP Hub can place pupils with.
REGISTERED_AP_TYPES = frozenset(
    {
        "Pupil referral unit",
        "Academy alternative provision converter",
        "Academy alternative provision sponsor led",
        "Free schools alternative provision",
    }
)


class GiasFileError(DomainError):
    """The file cannot be read as a GIAS establishments CSV at all."""


@dataclass(frozen=True)
class GiasRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so this never fails.
        return raw.decode("latin-1")


def read_gias_file(path: Path) -> tuple[list[str], list[GiasRow]]:
    """The columns and the non-blank rows of a GIAS CSV file, or a GiasFileError saying why it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GiasFileError(f"There is no file at {path}") from None
    except IsADirectoryError:
        raise GiasFileError(f"{path} is a folder, not a CSV file") from None
    except OSError as error:
        raise GiasFileError(f"{path} cannot be read: {error.strerror}") from None
    text = _decode(raw)
    lines = read_rows(text)
    try:
        _first, header = next(lines, (1, None))
        if header is None:
            raise GiasFileError(f"{path} is empty; expected a GIAS establishments CSV file")
        columns = [column.strip() for column in header]
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        if missing:
            raise GiasFileError(
                f"{path} is not a GIAS establishments file: it has no "
                + ", ".join(f'"{column}"' for column in missing)
                + " column"
                + ("s" if len(missing) > 1 else "")
            )
        rows = []
        for number, cells in lines:
            if not any(cell.strip() for cell in cells):
                continue
            values = {column: cell.strip() for column, cell in zip(columns, cells, strict=False)}
            rows.append(GiasRow(number=number, values=values))
    except CsvFileError as error:
        # A row that does not parse cleanly refuses the file whole (a stray quote swallows the rows after it).
        raise GiasFileError(f"{path} is not a readable CSV file. {error.message}") from None
    return columns, rows
