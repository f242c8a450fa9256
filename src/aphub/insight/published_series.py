"""The LA's own yearly series out of one of the DfE's published files (its permanent exclusions, say), to forecast
beside its own history on the forecast dashboard (issue 14).

The files are the ones `aphub forecast-backtest` reads (forecasting.read_dfe_series), with the same rules: a value
`c`, `x` or `z` (the DfE's suppressed, not available, not applicable), or a blank, is missing; rows of the same
period are summed (several rows of the LA in a year); a period is missing when all its values are. Of the file only
the LA's rows are read: those with its ONS code in `new_la_code` or its DfE LA number in `old_la_code`, or, in a
file without codes (the exclusions by LA 2006/07 to 2016/17), its name in `la_name`; and of a file with every level
of geography (`geographic_level`, or `level`), only the local authority level's rows. The LA chooses the column of
values and any other filters (`school_type=Total`, so that primary, secondary and special schools are not counted
twice with their total).

Every row of the LA's is checked before anything is kept: a file with any bad one is refused whole, each bad line
named (ImportRejected), as the DfE's other files are (insight.dfe).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from aphub.exchange.services import ImportRejected, RowProblem
from aphub.organisations.models import LocalAuthority

from .dfe import rows_of
from .forecasting import added, number_in

PERIOD_COLUMNS = ("time_period", "year")  # the DfE's explore-education-statistics files, and its older ones
LEVEL_COLUMNS = ("geographic_level", "level")
LOCAL_AUTHORITY_LEVEL = "local authority"
CODE_COLUMNS = ("new_la_code", "old_la_code", "la_name")
# A year as the DfE writes it: 201617 or 2016/17 (an academic year, by the calendar year it starts in), or 2016.
YEAR = re.compile(r"(\d{4})(?:[/-]?(\d{2}))?")
PROBLEMS_KEPT = 500


@dataclass(frozen=True)
class LaSeries:
    """The LA's values, one a year: `points` are consecutive years from the first with a row to the last, each with
    its value (None: missing); `rows` the rows of the LA's read."""

    points: list[tuple[int, float | None]]
    rows: int


def _words(value: str) -> str:
    return " ".join(value.casefold().split())


def year_of(text: str) -> int | None:
    """The year a period starts in (2016 for 201617, 2016/17 or 2016); None when it is not written as a year."""
    match = YEAR.fullmatch(text.strip())
    if match is None:
        return None
    first = int(match.group(1))
    if match.group(2) is not None and (first + 1) % 100 != int(match.group(2)):
        return None
    return first


def is_the_las(row: dict[str, str], local_authority: LocalAuthority) -> bool:
    """The row is the LA's: by its ONS code or DfE LA number where the row gives them, else by its name."""
    new, old = row.get("new_la_code", "").upper(), row.get("old_la_code", "")
    if new or old:
        return new == local_authority.gss_code or old == local_authority.la_code
    return _words(row.get("la_name", "")) == _words(local_authority.name)


def read_la_series(
    content: bytes, local_authority: LocalAuthority, *, value: str, period: str = "", where: dict[str, str]
) -> LaSeries:
    """The LA's series of `value` by `period` (time_period, else year, when not given) from the rows matching every
    `where` (column = value, compared without regard to case). Raises ImportRejected naming every bad line."""
    table = rows_of(content)
    header_line, header = table[0]
    columns = [name.strip().casefold() for name in header]
    wanted = {column.strip().casefold(): _words(text) for column, text in where.items()}
    value, period = value.strip().casefold(), period.strip().casefold()
    period = period or next((name for name in PERIOD_COLUMNS if name in columns), PERIOD_COLUMNS[0])
    missing = [name for name in (period, value, *wanted) if name not in columns]
    if missing:
        raise ImportRejected(
            [
                RowProblem(
                    header_line,
                    f"The header row has no column {', '.join(missing)}; its columns are "
                    f"{', '.join(name.strip() for name in header)}",
                )
            ]
        )
    if not any(name in columns for name in CODE_COLUMNS):
        raise ImportRejected(
            [
                RowProblem(
                    header_line,
                    "The header row has none of new_la_code, old_la_code and la_name, so the rows of "
                    f"{local_authority.name} cannot be found: this is not a file of figures by local authority",
                )
            ]
        )
    level = next((name for name in LEVEL_COLUMNS if name in columns and name not in wanted), None)

    problems: list[RowProblem] = []
    sums: dict[int, Decimal | None] = {}
    read = 0
    for line, values in table[1:]:
        row = {name: text.strip() for name, text in zip(columns, values, strict=False)}
        if level is not None and _words(row.get(level, "")) != LOCAL_AUTHORITY_LEVEL:
            continue  # England's and the regions' rows
        if any(_words(row.get(column, "")) != text for column, text in wanted.items()):
            continue
        if not is_the_las(row, local_authority):
            continue
        read += 1
        year = year_of(row.get(period, ""))
        if year is None:
            problems.append(
                RowProblem(
                    line,
                    f"The {period} must be a year written like 201617, 2016/17 or 2016, not {row.get(period, '')!r}",
                )
            )
        try:
            number = number_in(row.get(value, ""))
        except ValueError:
            problems.append(
                RowProblem(
                    line,
                    f"The {value} value must be a number, or c, x or z where the DfE suppressed it, not "
                    f"{row.get(value, '')!r}",
                )
            )
            continue
        if number is not None and number < 0:
            problems.append(RowProblem(line, f"The {value} value must not be below 0, not {row.get(value, '')!r}"))
            continue
        if year is not None:
            sums[year] = added(sums.get(year), number)
    if problems:
        raise ImportRejected(problems[:PROBLEMS_KEPT])
    chosen = " and ".join(f"{column}={text}" for column, text in where.items())
    if not read:
        raise ImportRejected(
            [
                RowProblem(
                    header_line,
                    f"The file has no rows for {local_authority.name} (LA number {local_authority.la_code}, code "
                    f"{local_authority.gss_code}, or its name in la_name)"
                    + (f" with {chosen}" if chosen else "")
                    + ": load the DfE's file for every local authority, or check the filters",
                )
            ]
        )
    if all(total is None for total in sums.values()):
        raise ImportRejected(
            [RowProblem(header_line, f"Every {value} value of {local_authority.name}'s is suppressed or blank")]
        )
    years = range(min(sums), max(sums) + 1)
    return LaSeries(points=[(year, _number(sums.get(year))) for year in years], rows=read)


def _number(total: Decimal | None) -> float | None:
    """A count as a whole number (the JSON keeps 67, not 67.0), any other value as it is."""
    if total is None:
        return None
    return int(total) if total == total.to_integral_value() else float(total)
