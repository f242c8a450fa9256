"""A school's census AP file (CSV or XLSX) read into rows for the one importer (services.record_school_arranged).

The upload page, the API's file endpoint and `aphub import-school-ap PATH --school URN` all call `import_file`, so a
file means the same whichever way it comes. The header row is checked first (every column named once, the census's
columns all there); then every row is read (census.read_row) and checked; one bad row imports nothing.
"""

from aphub.core.errors import DomainError
from aphub.core.files.tables import read_table
from aphub.exchange.services import ImportRejected, RowProblem
from aphub.organisations.models import User

from .census import COLUMNS, OPTIONAL_COLUMNS, SchoolArrangedRow, read_row
from .services import SchoolArrangedOutcome, record_school_arranged

MAX_ROWS = 50_000  # a large secondary school's year of AP is a few hundred; a whole LA's a few thousand


def rows_of(content: bytes) -> list[SchoolArrangedRow]:
    """The file's rows, each read into typed values with its own problems; raises ImportRejected for a file that has
    no usable header or no rows, or DomainError (naming the line) for one whose text cannot be read."""
    table = [(line, values) for line, values in read_table(content) if any(value.strip() for value in values)]
    if not table:
        raise ImportRejected([RowProblem(1, "The file is empty: its first row names the columns")])
    header_line, header = table[0]
    columns = [" ".join(name.lower().split()).replace(" ", "_") for name in header]
    problems = []
    missing = [name for name in COLUMNS if name not in columns]
    unknown = [name for name in columns if name not in (*COLUMNS, *OPTIONAL_COLUMNS)]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if missing:
        problems.append(f"The header row is missing {_names(missing)}")
    if unknown:
        problems.append(f"The header row has {_names(unknown, 'unknown column')}")
    if repeated:
        problems.append(f"The header row repeats {_names(repeated)}")
    if problems:
        expected = ",".join(COLUMNS)
        raise ImportRejected([RowProblem(header_line, f"{p}. The census AP columns are {expected}") for p in problems])
    if len(table) == 1:
        raise ImportRejected([RowProblem(header_line, "The file has a header row but no placements")])
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected([RowProblem(header_line, f"The file has more than {MAX_ROWS:,} rows: split it")])
    rows = []
    for line, values in table[1:]:
        if len(values) > len(columns) and any(value.strip() for value in values[len(columns) :]):
            row = SchoolArrangedRow(line=line)
            row.refuse(f"The row has {len(values)} values but the header names {len(columns)} columns", "row")
            rows.append(row)
            continue
        rows.append(read_row(dict(zip(columns, values, strict=False)), line=line))
    return rows


def _names(names: list[str], what: str = "column") -> str:
    plural = what + ("s" if len(names) > 1 else "")
    return f"the {plural} {', '.join(names)}"


def import_file(*, user: User, content: bytes) -> SchoolArrangedOutcome:
    """Check the whole file, then record every placement in it or none (ImportRejected names each bad row)."""
    try:
        rows = rows_of(content)
    except ImportRejected:
        raise
    except DomainError as error:  # the text cannot be read as rows (csv_files, tables): one problem, its line
        raise ImportRejected(
            [RowProblem(getattr(error, "line", 1), getattr(error, "problem", error.message))]
        ) from None
    return record_school_arranged(user=user, rows=rows)
