"""Reading the rows of an uploaded CSV file strictly: a file whose rows do not parse cleanly is refused whole.

Python's csv reader is forgiving by default. A stray quote at the start of a value opens a quoted value that runs on
through the following lines until the next quote (or the end of the file), so the rows after it become part of one
note and are never seen as rows; the import then "succeeds" without them. Every CSV import reads its rows here
instead, so that:

- a value that opens a quote and never closes it is refused, naming the line where it starts;
- a value that runs over more than one line is refused (none of our files has one: a line break inside a value is
  almost always a stray quote swallowing the lines after it);
- a quote in the middle of a quoted value that is not doubled ("") is refused;
- a NUL character (a zero byte) anywhere is refused: no text file has one, and PostgreSQL cannot store it.
"""

import csv
import io
from collections.abc import Iterator, Sequence

from aphub.core.errors import DomainError

NUL = "\x00"


class CsvFileError(DomainError):
    """The file's rows cannot be read cleanly; `line` is where the trouble starts (the header is line 1)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"Line {line}: {message}", field="file")
        self.line = line
        self.problem = message[:1].upper() + message[1:]  # the sentence alone, for a table of lines and problems


def _value_name(columns: Sequence[str], index: int) -> str:
    if 0 <= index < len(columns) and columns[index].strip():
        return f"the {columns[index].strip()} value"
    return f"value {index + 1}"


def _unclosed_quote(columns: Sequence[str], index: int) -> str:
    return (
        f"an unclosed quote in {_value_name(columns, index)} swallows the lines after it. "
        'Remove the quote, or close it and write any quote inside the value twice ("")'
    )


def read_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each row of a CSV file's text with the line it starts on, the header first (line 1).

    Raises CsvFileError for the first row that does not parse cleanly. Blank lines are given as empty rows, as the
    csv module gives them, so callers keep the line numbers a spreadsheet shows.
    """
    if NUL in text:
        line = text.count("\n", 0, text.index(NUL)) + 1
        raise CsvFileError(
            line,
            "the file holds a NUL character (a zero byte), which a CSV file never has. "
            "The file may be damaged or not a CSV file: save it again as CSV and send that",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: list[str] = []
    ended = 0  # the line the previous row ended on
    while True:
        start = ended + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The row's values up to the error are lost with it; count them from the raw line to name the column.
            index = _index_of_bad_value(text, start)
            if "unexpected end of data" in str(error):
                raise CsvFileError(start, _unclosed_quote(columns, index)) from None
            raise CsvFileError(
                start,
                f"a quote in {_value_name(columns, index)} ends the value too early. "
                'Write a quote inside a quoted value twice (""), or leave the quotes off the value',
            ) from None
        ended = reader.line_num
        if ended > start:
            # The row ran over more than one line, so one of its values holds a line break. Looked for only then:
            # an attendance return has 100,000 rows and this is the reader's only per-row cost.
            index = next(i for i, value in enumerate(values) if "\n" in value or "\r" in value)
            raise CsvFileError(start, _unclosed_quote(columns, index))
        if not columns:
            columns = values
        yield start, values


def _index_of_bad_value(text: str, line: int) -> int:
    """Which value of the row starting on `line` opens the quote that breaks it: commas before its first quote."""
    lines = text.split("\n")
    if line - 1 >= len(lines):
        return -1
    row = lines[line - 1]
    quote = row.find('"')
    return row.count(",", 0, quote) if quote >= 0 else -1
