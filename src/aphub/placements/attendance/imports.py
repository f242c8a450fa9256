"""Attendance returns: a provider's CSV file of register marks, checked whole, then written all at once or not at all.
A school sends the return of a provider with no users in AP Hub for the AP it recorded there (its own pupils only).

The file has a header row and the columns upn, date (YYYY-MM-DD), session (AM or PM), code (a DfE attendance code)
and note (optional). Every row is checked before anything is written, and every bad row is reported with its line
number and what is wrong: a UPN that is not valid, a pupil with no active placement with this provider, a date that
is not real, on a weekend or a holiday of the LA's term dates, in the future or outside the placement, a session
other than AM or PM, an unknown code, a note that is too long, or a row that repeats an earlier one. One bad row
imports nothing.

A mark for a session that already has one replaces it (the return is the provider's latest word). Alerts for
absences follow the same rules as the register page (aphub.placements.attendance.services).

Speed (issue 3: 20,000 marks a second or more, and at least a quarter of the speed of a raw COPY of the same rows
into the marks table, docs/decisions/0013): rows are checked in Python
with the lookups read once and each distinct value parsed once; on PostgreSQL the checked rows go through psycopg's
COPY into a temporary table and one INSERT ... ON CONFLICT (placement_id, date, session) DO UPDATE; on SQLite,
bulk_create with update_conflicts. `make bench` measures both figures (bench/attendance_import.py).
"""

import datetime
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet

from aphub.core.clock import now, today
from aphub.core.days.dates import weekday_date
from aphub.core.days.school_days import SchoolCalendar
from aphub.core.files.csv_files import CsvFileError, read_rows
from aphub.core.files.tables import text_of
from aphub.core.identifiers import validate_upn
from aphub.core.permissions import require
from aphub.directory.models import Provision
from aphub.duties.calendars import calendar_for
from aphub.exchange.services import ImportRejected, RowProblem
from aphub.organisations.models import SCHOOL_ROLES, LocalAuthority, Provider, User
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.placements.attendance.codes import UnknownCode, validate_code
from aphub.placements.attendance.queries import registrable_placements
from aphub.placements.attendance.services import (
    ALERT_WINDOW_DAYS,
    MarkChange,
    log_each,
    mark_note,
    not_a_register_day,
    not_a_school_day,
    send_absence_alerts,
)
from aphub.placements.models import AttendanceMark, Placement
from aphub.placements.permissions import can_take_registers

COLUMNS = ("upn", "date", "session", "code", "note")
NOT_PLACED = "has no active placement with you"
RETURN_REFUSED = (
    "Only the provider's staff can send its attendance returns (a school sends the returns only of AP it recorded "
    "at a provider that does not use AP Hub)"
)
REQUIRED_COLUMNS = ("upn", "date", "session", "code")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_FILE_BYTES = 50 * 1024 * 1024  # a year's return for 1,000 pupils is about 12 MB


class CheckedMark(NamedTuple):
    # A NamedTuple rather than a dataclass: a return has 100,000 of them and tuples are made several times faster.
    line: int
    placement_id: int
    date: datetime.date
    session: str
    code: str
    note: str


@dataclass
class AttendanceImportResult:
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    placements: int = 0
    alerts: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.rows} marks for {self.placements} placements: {self.created} new, {self.changed} changed, "
            f"{self.unchanged} unchanged"
        )


# --- Reading and checking -------------------------------------------------------------------------------------


def decode(source: bytes | str | IO[bytes] | IO[str]) -> str:
    """The file's text: UTF-8 (with or without Excel's byte order mark), else Windows-1252."""
    content = source if isinstance(source, bytes | str) else source.read()
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    if len(content) > MAX_FILE_BYTES:
        raise ImportRejected([RowProblem(0, f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")])
    return text_of(content)


def _header(names: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in names]
    problems = []
    unknown = [name for name in columns if name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    expected = "upn, date, session, code and note (note may be left out)"
    if missing:
        problems.append(f"The header row is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if unknown:
        shown = ", ".join(repr(name) for name in unknown)
        problems.append(f"The header row has the unknown column{'s' if len(unknown) > 1 else ''} {shown}")
    if repeated:
        problems.append(f"The header row repeats the column{'s' if len(repeated) > 1 else ''} {', '.join(repeated)}")
    if problems:
        raise ImportRejected([RowProblem(1, f"{problem}; the columns are {expected}") for problem in problems])
    return columns


Span = tuple[int, datetime.date, datetime.date | None, int]  # placement id, start, end, the provision's LA id


def _placed_with(placements: QuerySet[Placement]) -> dict[str, list[Span]]:
    """UPN -> the pupil's placements among those the return may mark."""
    placed: dict[str, list[Span]] = defaultdict(list)
    rows = placements.values_list("pupil__upn", "pk", "start_date", "end_date", "provision__local_authority_id")
    for upn, pk, start, end, la_id in rows:
        placed[upn].append((pk, start, end, la_id))
    return placed


class _Checker:
    """Checks rows one by one. Each distinct UPN, date and code is checked once and the answer kept: a return
    repeats the same few hundred values a hundred thousand times. A failed check keeps its sentence as a str;
    a passed one keeps its value."""

    def __init__(self, placements: QuerySet[Placement], not_placed: str) -> None:
        self.today = today()
        self.placed = _placed_with(placements)
        self.not_placed = not_placed
        self.pupils: dict[str, tuple[str, list] | str] = {}
        self.dates: dict[str, datetime.date | str] = {}
        self.codes: dict[tuple[str, str], tuple[str] | str] = {}
        self.calendars: dict[int, SchoolCalendar] = {}
        self.school_days: dict[tuple[int, datetime.date], str | None] = {}

    def pupil(self, text: str) -> tuple[str, list] | str:
        """(UPN, the pupil's placements the return may mark), or why not."""
        found = self.pupils.get(text)
        if found is None:
            try:
                upn = validate_upn(text)
            except ValidationError as error:
                found = f"Unknown UPN {text.strip()!r}: {error.messages[0]}"
            else:
                spans = self.placed.get(upn)
                found = (upn, spans) if spans else f"The pupil with UPN {upn} {self.not_placed}"
            self.pupils[text] = found
        return found

    def date(self, text: str) -> datetime.date | str:
        found = self.dates.get(text)
        if found is None:
            found = self.dates[text] = self._date(text.strip())
        return found

    def _date(self, value: str) -> datetime.date | str:
        if not value:
            return "Enter the date, like 2026-11-10"
        if not ISO_DATE.fullmatch(value):
            return f"The date {value!r} must be written YYYY-MM-DD, like 2026-11-10"
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return f"The date {value!r} is not a real date"
        return not_a_register_day(day, today=self.today) or day

    def school_day(self, la_id: int, day: datetime.date) -> str | None:
        """Why `day` is not a school day in the term dates of the placement's LA, or None."""
        key = (la_id, day)
        if key not in self.school_days:
            if la_id not in self.calendars:
                self.calendars[la_id] = calendar_for(local_authority=LocalAuthority.objects.get(pk=la_id))
            self.school_days[key] = not_a_school_day(self.calendars[la_id], day)
        return self.school_days[key]

    def code(self, text: str, session: str) -> tuple[str] | str:
        """(the code as stored,), or why not."""
        key = (text, session)
        found = self.codes.get(key)
        if found is None:
            try:
                found = (validate_code(text, session),)
            except UnknownCode as error:
                found = error.message
            self.codes[key] = found
        return found


def _width_problem(found: int, width: int) -> str:
    return f"This row has {found} value{'s' if found != 1 else ''}; the header row has {width}"


def check_rows(
    *,
    provider: Provider | None = None,
    text: str,
    placements: QuerySet[Placement] | None = None,
    not_placed: str = NOT_PLACED,
) -> tuple[list[CheckedMark], list[RowProblem]]:
    """Every row checked: the marks to write, and the problems of the bad rows (empty when all are good).

    The marks are for `placements` (by default the provider's active ones); a pupil with none of them is refused with
    "The pupil with UPN ... `not_placed`". Line 1 is the header. Rows with every value empty (spreadsheets leave them
    at the end) are skipped.
    """
    if placements is None:
        placements = Placement.objects.filter(provision__provider=provider, status=Placement.Status.ACTIVE)
    rows = read_rows(text)
    try:
        _first, names = next(rows)
    except StopIteration:
        raise ImportRejected([RowProblem(1, "The file is empty; it needs a header row and one row per mark")]) from None
    except CsvFileError as error:
        raise ImportRejected([RowProblem(error.line, error.problem)]) from None
    columns = _header(names)
    width = len(columns)
    at_upn, at_date, at_session, at_code = (columns.index(name) for name in REQUIRED_COLUMNS)
    at_note = columns.index("note") if "note" in columns else None
    check = _Checker(placements, not_placed)
    marks: list[CheckedMark] = []
    problems: list[RowProblem] = []
    seen: dict[tuple, int] = {}
    while True:
        try:
            line, values = next(rows)
        except StopIteration:
            break
        except CsvFileError as error:
            # A row that does not parse cleanly refuses the whole file at once: the rows after it cannot be trusted
            # (a stray quote swallows them), so checking them would only list problems that are not there.
            raise ImportRejected([RowProblem(error.line, error.problem)]) from None
        if len(values) != width:
            if any(value.strip() for value in values):
                problems.append(RowProblem(line, _width_problem(len(values), width)))
            continue
        if not any(values):
            continue
        wrong: list[str] = []
        pupil = check.pupil(values[at_upn])
        day = check.date(values[at_date])
        session = values[at_session].strip().upper()
        if session != "AM" and session != "PM":
            wrong.append(f"The session must be AM or PM, not {values[at_session].strip()!r}")
            session = ""
        code = check.code(values[at_code], session)
        try:
            note = mark_note(values[at_note] if at_note is not None else "", whose="The note")
        except ValidationError as too_long:
            wrong.append(too_long.messages[0])
            note = ""
        if type(pupil) is str:
            wrong.append(pupil)
        if type(day) is str:
            wrong.append(day)
        if type(code) is str:
            wrong.append(code)
        placement_id = None
        if type(pupil) is tuple and type(day) is datetime.date:
            upn, spans = pupil
            covering = [(pk, la_id) for pk, start, end, la_id in spans if start <= day and (end is None or day <= end)]
            if len(covering) == 1:
                placement_id, la_id = covering[0]
                holiday = check.school_day(la_id, day)
                if holiday:
                    wrong.append(holiday)
            elif not covering:
                wrong.append(f"{weekday_date(day)} is outside the placement of the pupil with UPN {upn}")
            else:
                wrong.append(
                    f"The pupil with UPN {upn} has more than one placement with you on {weekday_date(day)}; "
                    "record this mark on the register page"
                )
        key = (pupil[0] if type(pupil) is tuple else values[at_upn].strip().upper(), day, session)
        first = seen.get(key)
        if first is None:
            seen[key] = line
        elif session:
            wrong.append(f"This row repeats line {first}: the same pupil, date and session")
        if wrong:
            problems.extend(RowProblem(line, message) for message in wrong)
        elif not problems:
            # Once a row is bad nothing will be written, so marks are no longer kept, only problems looked for.
            # Nothing wrong means the day is a date and the placement and code were found: the type checker cannot
            # follow that through `wrong`, and checking each again would slow a loop run once per mark of a file.
            marks.append(CheckedMark(line, placement_id, day, session, code[0], note))  # type: ignore[arg-type]
    if not problems and not marks:
        problems.append(RowProblem(2, "The file has a header row but no marks"))
    return marks, problems


# --- Writing --------------------------------------------------------------------------------------------------


def _old_codes(marks: list[CheckedMark]) -> dict[tuple[int, datetime.date, str], str]:
    """The codes that recent marks replace, for the alerts (older marks never alert, so are not read)."""
    earliest = today() - datetime.timedelta(days=ALERT_WINDOW_DAYS)
    recent_ids = {mark.placement_id for mark in marks if mark.date >= earliest}
    if not recent_ids:
        return {}
    existing = AttendanceMark.objects.filter(placement_id__in=recent_ids, date__gte=earliest).values_list(
        "placement_id", "date", "session", "code"
    )
    return {(placement_id, day, session): code for placement_id, day, session, code in existing}


COPY_CHUNK_ROWS = 10_000
# COPY's text format: a backslash, tab, newline or carriage return inside a value is written as an escape.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_lines(marks: list[CheckedMark]) -> Iterable[str]:
    """Rows in COPY's text format, built as strings: faster than psycopg's write_row for 100,000 small rows."""
    escaped: dict[str, str] = {}
    for mark in marks:
        code = escaped.get(mark.code)
        if code is None:
            code = escaped[mark.code] = mark.code.translate(_COPY_ESCAPES)
        note = mark.note.translate(_COPY_ESCAPES) if mark.note else ""
        yield f"{mark.placement_id}\t{mark.date.isoformat()}\t{mark.session}\t{code}\t{note}\n"


def _write_postgresql(marks: list[CheckedMark], user: User | None) -> dict[int, tuple[int, int]]:
    """COPY into a temporary table, then one INSERT ... ON CONFLICT. Returns {placement id: (created, changed)}."""
    table = AttendanceMark._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()  # psycopg's own cursor, for COPY
        raw.execute(
            "CREATE TEMPORARY TABLE aphub_attendance_import "
            "(placement_id bigint, date date, session varchar(2), code varchar(2), note varchar(200)) "
            "ON COMMIT DROP"
        )
        with raw.copy("COPY aphub_attendance_import (placement_id, date, session, code, note) FROM STDIN") as copy:
            for start in range(0, len(marks), COPY_CHUNK_ROWS):
                copy.write("".join(_copy_lines(marks[start : start + COPY_CHUNK_ROWS])))
        # Unchanged marks are left alone (WHERE ... IS DISTINCT FROM): a file sent twice rewrites nothing, and the
        # RETURNING tells new marks (xmax = 0) from changed ones.
        raw.execute(
            f"""
            WITH written AS (
                INSERT INTO {table} (placement_id, date, session, code, note, recorded_by_id, recorded_at)
                SELECT placement_id, date, session, code, note, %s, %s FROM aphub_attendance_import
                ON CONFLICT (placement_id, date, session) DO UPDATE
                    SET code = EXCLUDED.code, note = EXCLUDED.note,
                        recorded_by_id = EXCLUDED.recorded_by_id, recorded_at = EXCLUDED.recorded_at
                    WHERE ({table}.code, {table}.note) IS DISTINCT FROM (EXCLUDED.code, EXCLUDED.note)
                RETURNING placement_id, (xmax = 0) AS created
            )
            SELECT placement_id, count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
            FROM written GROUP BY placement_id
            """,  # noqa: S608 - the table name is our model's, not input
            [getattr(user, "pk", None), now()],
        )
        written = {placement_id: (created, changed) for placement_id, created, changed in raw.fetchall()}
        raw.execute("DROP TABLE aphub_attendance_import")
        return written


def _write_with_orm(marks: list[CheckedMark], user: User | None) -> dict[int, tuple[int, int]]:
    """SQLite (and any other database): compare with what is stored, then bulk_create with update_conflicts."""
    placement_ids = {mark.placement_id for mark in marks}
    first, last = min(mark.date for mark in marks), max(mark.date for mark in marks)
    stored = {
        (placement_id, day, session): (code, note)
        for placement_id, day, session, code, note in AttendanceMark.objects.filter(
            placement_id__in=placement_ids, date__range=(first, last)
        ).values_list("placement_id", "date", "session", "code", "note")
    }
    moment = now()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    to_write = []
    for mark in marks:
        before = stored.get((mark.placement_id, mark.date, mark.session))
        if before == (mark.code, mark.note):
            continue
        counts[mark.placement_id][0 if before is None else 1] += 1
        to_write.append(
            AttendanceMark(
                placement_id=mark.placement_id,
                date=mark.date,
                session=mark.session,
                code=mark.code,
                note=mark.note,
                recorded_by=user,
                recorded_at=moment,
            )
        )
    # No batch_size: Django sends as many rows per statement as SQLite's variable limit allows.
    AttendanceMark.objects.bulk_create(
        to_write,
        update_conflicts=True,
        unique_fields=["placement", "date", "session"],
        update_fields=["code", "note", "recorded_by", "recorded_at"],
    )
    return {placement_id: (created, changed) for placement_id, (created, changed) in counts.items()}


def write_marks(marks: list[CheckedMark], user: User | None) -> dict[int, tuple[int, int]]:
    if connection.vendor == "postgresql":
        return _write_postgresql(marks, user)
    return _write_with_orm(marks, user)


def import_attendance(
    *,
    user: User | None,
    provider: Provider,
    source: bytes | str | IO,
    alerts: bool = True,
    provision: Provision | None = None,
) -> AttendanceImportResult:
    """Check an attendance file and write every mark, or raise ImportRejected naming each bad row.

    `user` is the provider's staff member who sent it (None from the command line), or the staff member of a school
    that recorded AP at `provider`, a provider with no users in AP Hub, sending the return it had from the provider
    for `provision` (its register's pupils only: `queries.registrable_placements`). Each placement whose marks
    changed is access-logged once (create when it gained marks, else change) rather than once per mark.
    """
    started = time.perf_counter()
    not_placed = NOT_PLACED
    markable: QuerySet[Placement]
    if user is None:
        markable = Placement.objects.filter(provision__provider=provider, status=Placement.Status.ACTIVE)
    else:
        membership = membership_of(user)
        require(can_take_registers(membership, provider.pk), RETURN_REFUSED)
        markable = registrable_placements(user).filter(provision__provider=provider)
        if acts_as(membership, SCHOOL_ROLES):
            not_placed = f"has no placement your school recorded at {provision or provider}"
    if provision is not None:
        markable = markable.filter(provision=provision)
    marks, problems = check_rows(provider=provider, placements=markable, not_placed=not_placed, text=decode(source))
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        old_codes = _old_codes(marks) if alerts else {}
        written = write_marks(marks, user)
        placements = Placement.objects.in_bulk(list(written))
        gained = [placements[pk] for pk, (created, _changed) in sorted(written.items()) if created]
        changed = [placements[pk] for pk, (created, _changed) in sorted(written.items()) if not created]
        log_each(user=user, objs=gained, verb="create")
        log_each(user=user, objs=changed, verb="change")
        queued = 0
        if alerts:
            queued = send_absence_alerts(_changes(marks, old_codes))
    result = AttendanceImportResult(
        rows=len(marks),
        created=sum(created for created, _ in written.values()),
        changed=sum(changed for _, changed in written.values()),
        placements=len({mark.placement_id for mark in marks}),
        alerts=queued,
    )
    result.unchanged = result.rows - result.created - result.changed
    result.seconds = time.perf_counter() - started
    return result


def _changes(marks: Iterable[CheckedMark], old_codes: dict) -> list[MarkChange]:
    earliest = today() - datetime.timedelta(days=ALERT_WINDOW_DAYS)
    changes = []
    for mark in marks:
        if mark.date < earliest:
            continue
        old = old_codes.get((mark.placement_id, mark.date, mark.session))
        if old != mark.code:
            changes.append(MarkChange(mark.placement_id, mark.date, mark.session, old, mark.code))
    return changes
