"""A school's census AP file imported through the one importer (placements.school_arranged), for `make bench`
(issue 12's goal: 10,000 rows in under 10 seconds on PostgreSQL; docs/decisions/0026).

The file is a large school's return: `rows` placements of children AP Hub has not met yet, at providers named by
URN, by UKPRN, by name, and by type of setting alone, full and part time, some ended. It is imported twice: the
first import writes everything (pupils and enrolments, providers and their recorded provisions, episodes,
placements, change log, funding lines, clocks, access log); the second is the same file again, which must find
every placement and change nothing (idempotent). Both are timed from the file's bytes to the answer, in one
transaction that is rolled back afterwards (attendance_import.rolled_back: foreign keys checked as each row is
written, as the commit would check them), so the database is left as it was.

Run alone: `PYTHONPATH=.:src DATABASE_URL=... python -m bench.school_arranged_import [rows]`.
"""

import datetime
import time

from django.db import connection

ROWS = 10_000
SECONDS_GOAL = 10.0
PROVIDERS_BY_URN = 40
PROVIDERS_BY_UKPRN = 40
PROVIDERS_BY_NAME = 20
SETTING_CODES = ("OOT", "WBP", "NFE", "OTH")
REASONS = ("BEH", "MHN", "PHN", "SUS", "OTH")
HEADER = (
    "upn,surname,forename,date_of_birth,urn,ukprn,setting_type,reason,entry_date,leaving_date,sessions_per_week,"
    "attendance_pattern,hours_per_week,weekly_cost,provider_name"
)


def benchmark(rows: int = ROWS) -> dict:
    """Seconds and rows a second of the first import of a `rows`-row census AP file and of the same file again."""
    from aphub.placements.school_arranged.imports import import_file
    from bench.attendance_import import rolled_back

    figures: dict = {"database": connection.vendor, "rows": rows, "goal_seconds": SECONDS_GOAL}
    with rolled_back():
        user, content = _benchmark_file(rows)
        started = time.perf_counter()
        first = import_file(user=user, content=content)
        figures["seconds"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        again = import_file(user=user, content=content)
        figures["again_seconds"] = round(time.perf_counter() - started, 3)
        figures["first"] = str(first)
        figures["again"] = str(again)
        if len(first.created) != rows or len(again.unchanged) != rows:
            raise SystemExit(f"bench: the school AP import did not record {rows} rows once: {first}; {again}")
    figures["rows_per_second"] = round(rows / figures["seconds"])
    figures["again_rows_per_second"] = round(rows / figures["again_seconds"])
    figures["met"] = figures["seconds"] <= SECONDS_GOAL
    return figures


def _free_la_code() -> str:
    from aphub.organisations.models import LocalAuthority

    used = set(LocalAuthority.objects.values_list("la_code", flat=True))
    return next(f"{code:03d}" for code in range(998, 100, -1) if f"{code:03d}" not in used)


def _benchmark_file(rows: int) -> tuple:
    """A school in an LA of its own with a member of staff, and its census AP file of `rows` rows (not committed)."""
    from aphub.core.clock import today
    from aphub.core.identifiers import upn_check_letter
    from aphub.duties.services import default_term_dates, load_term_dates
    from aphub.organisations.models import LocalAuthority, Membership, Role, School, User
    from aphub.placements.services import ensure_routes

    la_code = _free_la_code()
    la = LocalAuthority.objects.create(name="Benchmark Borough", la_code=la_code, gss_code=f"E98{la_code}000")
    load_term_dates(local_authority=la, **default_term_dates())
    ensure_routes(local_authority=la)
    school = School.objects.create(urn=f"99{la_code}0", name="Benchmark Academy", local_authority=la)
    user = User.objects.create_user(email=f"bench.school.{la_code}@example.org")
    Membership.objects.create(user=user, role=Role.SCHOOL_STAFF, school=school)

    on = today()
    # Weekdays of this school year up to four weeks ahead: entry dates, and leaving dates for the ended ones.
    first_day = datetime.date(on.year if on.month >= 9 else on.year - 1, 9, 1)
    weekdays = [
        day
        for day in (first_day + datetime.timedelta(days=n) for n in range((on - first_day).days + 28))
        if day.weekday() < 5
    ]
    lines = [HEADER]
    for serial in range(rows):
        body = f"{la_code}{serial:09d}"
        upn = upn_check_letter(body) + body
        born = datetime.date(2010 + serial % 5, 1 + serial % 12, 1 + serial % 28)
        kind = serial % 10
        urn = ukprn = setting = name = ""
        if kind < 4:
            urn = f"7{serial % PROVIDERS_BY_URN:05d}"
        elif kind < 7:
            ukprn = f"1{serial % PROVIDERS_BY_UKPRN:07d}"
        elif kind < 8:
            setting, name = "OTH", f"Bench Tutors {serial % PROVIDERS_BY_NAME}"
        else:
            setting = SETTING_CODES[serial % len(SETTING_CODES)]
        entry = weekdays[serial % len(weekdays)]
        ended = serial % 7 == 0
        leaving = next((day for day in weekdays if day > entry), entry) if ended else None
        full_time = serial % 3 == 0
        sessions = 10 if full_time else 1 + serial % 6
        hours = "25" if full_time else f"{sessions * 2.5:g}"
        lines.append(
            ",".join(
                [
                    upn,
                    "Pupil",
                    f"Bench{serial}",
                    born.isoformat(),
                    urn,
                    ukprn,
                    setting,
                    REASONS[serial % len(REASONS)],
                    entry.isoformat(),
                    leaving.isoformat() if leaving else "",
                    str(sessions),
                    "FT" if full_time else "PT",
                    hours,
                    f"{100 + serial % 400}.00",
                    name,
                ]
            )
        )
    return user, ("\n".join(lines) + "\n").encode()


def summary(figures: dict) -> str:
    verdict = "met" if figures["met"] else "NOT met"
    return (
        f"school AP census file {figures['rows']} rows: {figures['seconds']} s ({figures['rows_per_second']} rows/s; "
        f"goal < {SECONDS_GOAL:g} s: {verdict}), the same file again {figures['again_seconds']} s "
        f"({figures['again_rows_per_second']} rows/s, nothing changed)"
    )


if __name__ == "__main__":
    import os
    import sys

    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    result = benchmark(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
    print(summary(result))
