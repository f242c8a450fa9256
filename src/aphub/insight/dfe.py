"""The DfE's published files of school-arranged AP, read into figures for one LA.

The DfE publishes school-arranged AP (from the school census AP module) in its explore-education-statistics CSV
shape: a header row, then one row per figure, for England, each region and each LA (`geographic_level`), the LA
named by `new_la_code` (the ONS code, E10000030) and `old_la_code` (the DfE's LA number, 936). Two files:

- placements by type of setting: `time_period,...,new_la_code,la_name,old_la_code,setting_type,placements`;
- pupils by placement reason and type of setting: `...,characteristic_grouping,pupil_characteristic,setting_type,
  pupils` (the reason is `pupil_characteristic`; "Total" for all reasons, or all settings).

The DfE suppresses small numbers to protect pupils (its statistics' symbols: `c` confidential, `x` not available,
`z` not applicable, `low` rounds to zero, `u` low reliability); such a value, or a blank, is kept as suppressed.
Only the LA's own rows are read: the file is national, and the other LAs' rows, England's and the regions' are
passed over unchecked. Every row of the LA's is checked before anything is written (services.load_published_figures).
"""

import re
from dataclasses import dataclass

from aphub.core.errors import DomainError
from aphub.core.files.tables import read_table
from aphub.exchange.services import ImportRejected, RowProblem
from aphub.organisations.models import LocalAuthority
from aphub.placements.models import PlacementReason

from .models import TOTAL, Measure, SettingCategory

COMMON_COLUMNS = ("time_period", "geographic_level", "new_la_code", "old_la_code", "setting_type")
MEASURE_COLUMNS = {
    Measure.PLACEMENTS_BY_SETTING: ("placements",),
    Measure.PUPILS_BY_REASON: ("pupil_characteristic", "pupils"),
}
VALUE_COLUMN = {Measure.PLACEMENTS_BY_SETTING: "placements", Measure.PUPILS_BY_REASON: "pupils"}
LOCAL_AUTHORITY_LEVEL = "local authority"
SUPPRESSED = ("c", "x", "z", "low", "u")
TIME_PERIOD = re.compile(r"(\d{4})(\d{2})")
# The largest LA's school-arranged placements in a year are a few thousand; a bigger number is a mistake in the file.
MAX_VALUE = 1_000_000
PROBLEMS_KEPT = 500


@dataclass(frozen=True)
class FigureRow:
    """One figure of the LA's, as read from a line of the file."""

    line: int
    measure: str
    time_period: str
    year_starting: int
    setting: str
    reason: str
    value: int | None
    suppressed_as: str
    new_la_code: str
    old_la_code: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.time_period, self.measure, self.setting, self.reason)


def _label_lookup(choices: list[tuple[str, str]]) -> dict[str, str]:
    return {" ".join(label.casefold().split()): value for value, label in choices}


SETTINGS = {**_label_lookup(SettingCategory.choices), "total": TOTAL}
REASONS = {**_label_lookup(PlacementReason.choices), "total": TOTAL}


def _words(value: str) -> str:
    return " ".join(value.casefold().split())


def measure_of(columns: list[str]) -> str | None:
    """Which of the DfE's files this header is (by its figure's column), or None."""
    for measure, needed in MEASURE_COLUMNS.items():
        if all(name in columns for name in needed):
            return measure
    return None


def rows_of(content: bytes) -> list[tuple[int, list[str]]]:
    """A DfE file's rows that are not blank, each with its line, the header first. Raises ImportRejected for a file
    that cannot be read as a table (CSV or Excel), or has no header."""
    try:
        table = [(line, values) for line, values in read_table(content) if any(value.strip() for value in values)]
    except DomainError as error:  # csv_files.CsvFileError and tables.TableFileError: one problem, its line
        raise ImportRejected(
            [RowProblem(getattr(error, "line", 1), getattr(error, "problem", error.message))]
        ) from None
    if not table:
        raise ImportRejected([RowProblem(1, "The file is empty: its first row names the columns")])
    return table


def read_figures(content: bytes, local_authority: LocalAuthority) -> tuple[str, list[FigureRow]]:
    """The file's measure and the LA's figures in it. Raises ImportRejected naming every bad line (with the header's
    problems, or the file's lack of any row of the LA's), or for a file that cannot be read as a table."""
    table = rows_of(content)
    header_line, header = table[0]
    columns = [_words(name).replace(" ", "_") for name in header]
    measure = measure_of(columns)
    missing = [name for name in COMMON_COLUMNS if name not in columns]
    if measure is None or missing:
        what = (
            f"is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
            if missing
            else "has neither a placements column (placements by type of setting) nor pupil_characteristic and "
            "pupils columns (pupils by placement reason)"
        )
        raise ImportRejected(
            [
                RowProblem(
                    header_line,
                    f"The header row {what}: this is not one of the DfE's files of school-arranged AP "
                    "(by setting type, or by reason)",
                )
            ]
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise ImportRejected([RowProblem(header_line, f"The header row repeats {', '.join(repeated)}")])

    problems: list[RowProblem] = []
    figures: list[FigureRow] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, values in table[1:]:
        if len(values) > len(columns) and any(value.strip() for value in values[len(columns) :]):
            problems.append(RowProblem(line, f"The row has {len(values)} values but the header names {len(columns)}"))
            continue
        row = {name: value.strip() for name, value in zip(columns, values, strict=False)}
        if _words(row.get("geographic_level", "")) != LOCAL_AUTHORITY_LEVEL:
            continue  # England's and the regions' figures
        ours, disagreement = _is_ours(row, local_authority)
        if disagreement:
            problems.append(RowProblem(line, disagreement))
        if not ours:
            continue
        figure = _figure(line, row, measure, problems)
        if figure is None:
            continue
        if figure.key in seen:
            problems.append(RowProblem(line, f"The row repeats the figure on line {seen[figure.key]}"))
            continue
        seen[figure.key] = line
        figures.append(figure)
    if problems:
        raise ImportRejected(problems[:PROBLEMS_KEPT])
    if not figures:
        raise ImportRejected(
            [
                RowProblem(
                    header_line,
                    f"The file has no figures for {local_authority.name} (LA number {local_authority.la_code}, "
                    f"code {local_authority.gss_code}): load the DfE's file for every LA, or the rows of your own",
                )
            ]
        )
    return measure, figures


def _is_ours(row: dict[str, str], local_authority: LocalAuthority) -> tuple[bool, str]:
    """Whether the row is the LA's, and what is wrong when its two codes name different LAs."""
    new, old = row.get("new_la_code", "").upper(), row.get("old_la_code", "")
    new_matches, old_matches = new == local_authority.gss_code, old == local_authority.la_code
    if new_matches and old and not old_matches:
        return False, (
            f"The new_la_code {new} is {local_authority.name}'s but the old_la_code {old} is not "
            f"({local_authority.la_code}): correct one of them"
        )
    if old_matches and new and not new_matches:
        return False, (
            f"The old_la_code {old} is {local_authority.name}'s but the new_la_code {new} is not "
            f"({local_authority.gss_code}): correct one of them"
        )
    return new_matches or old_matches, ""


def _figure(line: int, row: dict[str, str], measure: str, problems: list[RowProblem]) -> FigureRow | None:
    found = len(problems)
    period = row.get("time_period", "")
    match = TIME_PERIOD.fullmatch(period)
    year_starting = 0
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        problems.append(
            RowProblem(line, f"The time_period must be an academic year written like 202223, not {period!r}")
        )
    else:
        year_starting = int(match.group(1))
    identifier = _words(row.get("time_identifier", ""))
    if identifier and identifier != "academic year":
        problems.append(RowProblem(line, f"The time_identifier must be Academic year, not {row['time_identifier']!r}"))
    setting = SETTINGS.get(_words(row.get("setting_type", "")))
    if setting is None:
        problems.append(
            RowProblem(
                line,
                f"The setting_type {row.get('setting_type', '')!r} is not one of the DfE's: "
                + ", ".join(SettingCategory.labels)
                + " or Total",
            )
        )
    reason = ""
    if measure == Measure.PUPILS_BY_REASON:
        grouping = _words(row.get("characteristic_grouping", ""))
        found_reason = TOTAL if grouping == TOTAL else REASONS.get(_words(row.get("pupil_characteristic", "")))
        if found_reason is None:
            problems.append(
                RowProblem(
                    line,
                    f"The pupil_characteristic {row.get('pupil_characteristic', '')!r} is not a placement reason of "
                    "the DfE's: " + ", ".join(PlacementReason.labels) + " or Total",
                )
            )
        else:
            reason = found_reason
    column = VALUE_COLUMN[measure]
    text = row.get(column, "").replace(",", "")
    value: int | None = None
    suppressed_as = ""
    if text.casefold() in SUPPRESSED or not text:
        suppressed_as = text.casefold()
    elif text.isdigit() and int(text) < MAX_VALUE:
        value = int(text)
    else:
        problems.append(
            RowProblem(
                line,
                f"The {column} value must be a whole number, or x or c where the DfE suppressed it, not {text!r}",
            )
        )
    if len(problems) > found or setting is None:
        return None
    return FigureRow(
        line=line,
        measure=measure,
        time_period=period,
        year_starting=year_starting,
        setting=setting,
        reason=reason,
        value=value,
        suppressed_as=suppressed_as,
        new_la_code=row.get("new_la_code", "").upper(),
        old_la_code=row.get("old_la_code", ""),
    )
