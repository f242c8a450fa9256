"""Figures marked for publication (the committee pack, an FOI answer) withhold small counts, so that no child can be
picked out of a table about a few children (issue 14).

The rules, as the DfE's and the ONS's statistical disclosure control practise them:

- Primary suppression: a count from 1 to the LA's threshold less one (LocalPolicy.publication_threshold, default 5:
  counts 1 to 4) is withheld and shown as "c", the DfE's symbol. Money, rates, averages and forecasts are not
  counts and are never withheld: a table says which of its columns count (core.figures.Table.counts), and only whole
  numbers in those columns are counts (a forecast of 3.4 children is a model's, not three children).
- True zeros are shown, not withheld. A zero names no child: it says nobody had that characteristic. The DfE's
  statistics suppress zeros only where a policy says a zero is itself disclosive (all of a group sharing one
  attribute); our tables count children in AP by tier, route, provider..., where a zero tells the reader nothing
  about any one child, and withholding every zero would hide most of a small LA's picture for no protection.
- Secondary suppression: where a table publishes a total (a row or a column named "Total"), a line with one
  withheld cell would give it away (total less the others). So the next smallest cell of that line is withheld too,
  a non-zero one where there is one (a withheld zero beside a small count can still be worked out from the other
  direction's totals), else a zero, else the total itself; and again, until no row or column with a shown total has
  exactly one withheld cell.
- A summary sentence may state a total or a small number the table no longer shows: where anything in a figure is
  withheld, or its summary names a count under the threshold, the summary is replaced by one that says what is
  withheld. The chart is drawn again from the withheld table (Figure.redrawn), so the SVG holds no small count
  either (its bar labels and its hidden value texts come from the values it was drawn from).
"""

import re
from collections.abc import Iterator
from dataclasses import replace

from aphub.core.figures import SUPPRESSED, Figure, Table
from aphub.duties.queries import publication_threshold_of

Cell = tuple[int, int]  # (row, column) in Table.rows
# A number in a sentence, with what it is written with: one after "tier", "year", "stage" or "page" is a label, one
# before a month's name is a date.
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_NUMBER = re.compile(
    rf"(?:\b(?:tier|year|stage|page|phase) )?£?\d[\d,]*(?:\.\d+)?(?:%| (?:{_MONTHS})\b)?", re.IGNORECASE
)


def threshold_for(local_authority_id: int) -> int:
    """The LA's threshold: counts below it are withheld."""
    return publication_threshold_of(local_authority_id)


def is_total(label: object) -> bool:
    """A row or column that adds up the others: "Total", "Total children", "All tiers"."""
    text = str(label).strip().lower()
    return text.startswith("total") or text.startswith("all ")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count_cells(table: Table) -> set[Cell]:
    columns = [index for index in range(1, len(table.headings)) if table.is_count_column(index)]
    return {(row, column) for row, values in enumerate(table.rows) for column in columns if _is_count(values[column])}


def _lines(table: Table, counts: set[Cell]) -> Iterator[tuple[list[Cell], Cell]]:
    """Each row and column that has a total among the counts: (its other count cells, its total cell)."""
    total_columns = [
        c for c in range(1, len(table.headings)) if table.is_count_column(c) and is_total(table.headings[c])
    ]
    total_rows = [r for r, values in enumerate(table.rows) if is_total(values[0])]
    for total_column in total_columns:
        for row in range(len(table.rows)):
            members = [(row, c) for c in range(1, len(table.headings)) if c != total_column and (row, c) in counts]
            if (row, total_column) in counts:
                yield members, (row, total_column)
    for total_row in total_rows:
        for column in range(1, len(table.headings)):
            members = [(r, column) for r in range(len(table.rows)) if r != total_row and (r, column) in counts]
            if (total_row, column) in counts:
                yield members, (total_row, column)


def withheld_cells(table: Table, threshold: int) -> set[Cell]:
    """The cells to withhold: small counts (primary), then what would give them away (secondary)."""
    counts = _count_cells(table)
    withheld = {(r, c) for r, c in counts if 0 < table.rows[r][c] < threshold}  # type: ignore[operator]
    lines = list(_lines(table, counts))
    changed = bool(withheld)
    while changed:
        changed = False
        for members, total in lines:
            if total in withheld or sum(cell in withheld for cell in members) != 1:
                continue
            shown = [cell for cell in members if cell not in withheld]
            if shown:
                withheld.add(min(shown, key=lambda cell: _next_to_withhold(table, cell)))
            else:
                withheld.add(total)
            changed = True
    return withheld


def _next_to_withhold(table: Table, cell: Cell) -> tuple[bool, object, Cell]:
    """The smallest non-zero cell first (then zeros), the first of equals in reading order."""
    value = table.rows[cell[0]][cell[1]]
    return value == 0, value, cell


def published_table(table: Table, threshold: int) -> Table:
    """The table as published: its withheld cells SUPPRESSED, everything else as it was."""
    withheld = withheld_cells(table, threshold)
    if not withheld:
        return table
    rows = [
        [SUPPRESSED if (r, c) in withheld else value for c, value in enumerate(values)]
        for r, values in enumerate(table.rows)
    ]
    return replace(table, rows=rows)


def names_small_count(text: str, threshold: int) -> bool:
    """Whether a sentence states a whole number from 1 to threshold - 1 ("3 children"), not money or a percentage."""
    for token in _NUMBER.findall(text):
        if not token[0].isdigit() or token.endswith("%") or "." in token or " " in token:
            continue
        if 0 < int(token.replace(",", "")) < threshold:
            return True
    return False


def withheld_summary(threshold: int) -> str:
    return (
        f"Counts under {threshold} are shown as c, as are any that would let them be worked out from a total, "
        "so that no child can be identified; the table gives the rest."
    )


def published_figure(figure: Figure, threshold: int) -> Figure:
    """The figure as published: its table with small counts withheld, its chart drawn again from that table, its
    summary replaced where it could give a withheld count away. A figure drawn by hand (no drawing to redraw) with
    anything withheld loses its chart: the table alone is published."""
    table = published_table(figure.table, threshold)
    counts = any(figure.table.is_count_column(index) for index in range(1, len(figure.table.headings)))
    if table is figure.table and not (counts and names_small_count(figure.summary, threshold)):
        return figure  # nothing withheld, and no count in the words (a figure of money has none)
    summary = withheld_summary(threshold) if table is not figure.table else _without_numbers(threshold)
    if figure.drawing is None:
        return replace(figure, summary=summary, svg="", table=table, drawing=None)
    return figure.redrawn(table, summary=summary)


def _without_numbers(threshold: int) -> str:
    return f"The table gives the figures; counts under {threshold} are shown as c, so that no child can be identified."
