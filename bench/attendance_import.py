"""The attendance CSV import (aphub.placements.attendance.imports) timed against a raw COPY of the same rows into the
marks table, for `make bench` (issue 3's goal: 20,000 marks a second or more, and at least a quarter of the speed of
the raw COPY; docs/decisions/0013). It creates a provider and pupils in a transaction it rolls back."""

import contextlib
import datetime
import io
import statistics
import time
from collections.abc import Iterator

from django.db import connection, transaction

from aphub.core.clock import now, today
from aphub.organisations.models import Provider
from aphub.placements.attendance.codes import SESSIONS
from aphub.placements.attendance.imports import COPY_CHUNK_ROWS, _copy_lines, check_rows, import_attendance
from aphub.placements.models import AttendanceMark, Placement


class _RolledBack(Exception):
    """Raised to undo the benchmark's data once it is measured."""


def benchmark(rows: int = 100_000, *, pupils: int = 500, repeats: int = 1) -> dict:
    """Time the import of a `rows`-row attendance file against a raw COPY of the same rows into the marks table.

    Three timings, each in its own transaction on a provider and pupils made for it, rolled back afterwards (so the
    database is left as it was, and no timing meets the dead index entries another left behind):

    - the import, from the file's bytes to written, access-logged marks;
    - the raw COPY: the same marks, already resolved to placements and unchecked, COPYed straight into the marks
      table with its primary key, unique index and foreign keys. This is the floor of any import into that table,
      and `fraction_of_raw_copy` is its time over the import's (docs/decisions/0013);
    - the file's text COPYed into a bare table with no key, index or constraint, for comparison only: it shows what
      the marks table's own keys cost (`raw_copy_fraction_of_bare_table`).

    Foreign keys are checked as each row is written (SET CONSTRAINTS ALL IMMEDIATE), as a real commit would check
    them. The file is a return for `pupils` placed pupils over the weekdays before the alert window, so, like a
    back-filled return, it sends no alerts. Each figure is the median of `repeats` runs. On SQLite, which has no
    COPY, the COPY figures are None.
    """
    imports = [_timed(rows, pupils, _time_import) for _ in range(repeats)]
    seconds = statistics.median(imports)
    figures: dict = {
        "database": connection.vendor,
        "rows": rows,
        "repeats": repeats,
        "seconds": round(seconds, 4),
        "marks_per_second": round(rows / seconds),
        "raw_copy_into": None,
        "raw_copy_seconds": None,
        "raw_copy_rows_per_second": None,
        "fraction_of_raw_copy": None,
        "bare_table_copy_seconds": None,
        "fraction_of_bare_table_copy": None,
        "raw_copy_fraction_of_bare_table": None,
    }
    if connection.vendor != "postgresql":
        return figures
    raw = statistics.median(_timed(rows, pupils, _time_copy_into_marks) for _ in range(repeats))
    bare = statistics.median(_timed(rows, pupils, _time_bare_copy) for _ in range(repeats))
    figures.update(
        raw_copy_into=f"{AttendanceMark._meta.db_table} (primary key, unique index, foreign keys checked)",
        raw_copy_seconds=round(raw, 4),
        raw_copy_rows_per_second=round(rows / raw),
        fraction_of_raw_copy=round(raw / seconds, 3),
        bare_table_copy_seconds=round(bare, 4),
        fraction_of_bare_table_copy=round(bare / seconds, 3),
        raw_copy_fraction_of_bare_table=round(bare / raw, 3),
    )
    return figures


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is undone at the end, so a benchmark leaves the database as it was. Foreign keys are
    checked as each row is written (SET CONSTRAINTS ALL IMMEDIATE on PostgreSQL), as the commit that the rollback
    skips would check them: Django's foreign keys are deferred to the commit."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            yield
            raise _RolledBack
    except _RolledBack:
        pass
    finally:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # SET CONSTRAINTS lasts to the end of the caller's transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _timed(rows: int, pupils: int, measure) -> float:
    """`measure(provider, text)`'s seconds, on a fresh benchmark file, in a transaction that is then undone."""
    seconds = 0.0
    with rolled_back():
        provider, text = _benchmark_file(rows, pupils)
        seconds = measure(provider, text)
    return seconds


def _time_import(provider: Provider, text: str) -> float:
    data = text.encode()
    started = time.perf_counter()
    import_attendance(user=None, provider=provider, source=data)
    return time.perf_counter() - started


def _time_copy_into_marks(provider: Provider, text: str) -> float:
    """COPY the file's rows, resolved to placements beforehand (not timed), into the marks table."""
    marks, _problems = check_rows(provider=provider, text=text)
    moment = now().isoformat()
    lines = [line[:-1] + f"\t{moment}\n" for line in _copy_lines(marks)]
    table = AttendanceMark._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        started = time.perf_counter()
        with raw.copy(f"COPY {table} (placement_id, date, session, code, note, recorded_at) FROM STDIN") as copy:
            for start in range(0, len(lines), COPY_CHUNK_ROWS):
                copy.write("".join(lines[start : start + COPY_CHUNK_ROWS]))
        return time.perf_counter() - started


def _time_bare_copy(provider: Provider, text: str) -> float:
    """COPY the CSV text as it is into a table with the file's columns and nothing else."""
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        raw.execute("CREATE TABLE aphub_bench_bare_copy (upn text, date date, session text, code text, note text)")
        started = time.perf_counter()
        with raw.copy("COPY aphub_bench_bare_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(text)
        return time.perf_counter() - started


def _benchmark_file(rows: int, pupils: int) -> tuple[Provider, str]:
    """A provider with `pupils` active placements, and a return of `rows` marks for them (made, not committed)."""
    from aphub.core.identifiers import upn_check_letter
    from aphub.directory.models import Provision
    from aphub.organisations.models import LocalAuthority
    from aphub.placements.models import Episode, Route
    from aphub.pupils.models import Pupil

    used = set(LocalAuthority.objects.values_list("la_code", flat=True))
    la_code = next(f"{code:03d}" for code in range(999, 100, -1) if f"{code:03d}" not in used)
    la = LocalAuthority.objects.create(name="Benchmark Borough", la_code=la_code, gss_code=f"E99{la_code}000")
    provider = Provider.objects.create(legal_name="Benchmark Learning Ltd", registration_status="unregistered")
    provision = Provision.objects.create(
        provider=provider,
        local_authority=la,
        name="Benchmark Centre",
        summary="Benchmark",
        age_min=11,
        age_max=16,
        attendance_pattern="full-time",
    )
    route = Route.objects.create(
        local_authority=la,
        kind="long-term-ap",
        name="Long-term AP",
        commissioner="la",
        top_up_payer="la",
        registration="single",
    )
    sessions_each = max(1, -(-rows // pupils))
    days_needed = -(-sessions_each // 2)
    # Weekdays ending three weeks ago: outside the alert window, as a back-filled return is.
    weekdays: list[datetime.date] = []
    day = today() - datetime.timedelta(days=21)
    while len(weekdays) < days_needed:
        if day.weekday() < 5:
            weekdays.append(day)
        day -= datetime.timedelta(days=1)
    weekdays.reverse()
    made = Pupil.objects.bulk_create(
        Pupil(
            local_authority=la,
            upn=upn_check_letter(f"{la_code}{serial:09d}") + f"{la_code}{serial:09d}",
            first_name=f"Bench{serial}",
            last_name="Pupil",
            date_of_birth=datetime.date(2012, 1, 1),
            sex="F",
        )
        for serial in range(pupils)
    )
    episodes = Episode.objects.bulk_create(Episode(pupil=pupil, route=route, start_date=weekdays[0]) for pupil in made)
    Placement.objects.bulk_create(
        Placement(
            pupil=pupil,
            episode=episode,
            provision=provision,
            route=route,
            commissioner="la",
            tier="2",
            status=Placement.Status.ACTIVE,
            start_date=weekdays[0],
            sessions_per_week=10,
            hours_per_week="25.0",
            registration="single",
            annual_cost="18000.00",
        )
        for pupil, episode in zip(made, episodes, strict=True)
    )
    codes = {"AM": ("/", "/", "/", "/", "L", "I", "N", "M"), "PM": ("\\", "\\", "\\", "\\", "B", "I", "O", "C")}
    out = io.StringIO()
    out.write("upn,date,session,code,note\n")
    written = 0
    for index, pupil in enumerate(made):
        for day_index, day in enumerate(weekdays):
            for session in SESSIONS:
                if written >= rows:
                    break
                code = codes[session][(index + day_index) % 8]
                note = "Phoned home" if code in ("N", "O") else ""
                out.write(f"{pupil.upn},{day.isoformat()},{session},{code},{note}\n")
                written += 1
    return provider, out.getvalue()
