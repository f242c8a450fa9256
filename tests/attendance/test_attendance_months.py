"""Attendance counted by month (AttendanceMonth, kept by database triggers) is always what counting the marks gives,
whoever writes the marks: the register page, corrections, the attendance file (COPY on PostgreSQL), bulk loaders,
deletions and a shell's updates; and insight's counts over a period read from it equal the marks' own count."""

import datetime
import importlib
import time
from collections import defaultdict

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aphub.placements.attendance import codes
from aphub.placements.attendance.codes import CODES, Category, lookup
from aphub.placements.attendance.imports import import_attendance
from aphub.placements.attendance.queries import sessions_counted_by
from aphub.placements.attendance.services import record_register
from aphub.placements.models import AttendanceMark, AttendanceMonth, Placement

from .conftest import TODAY

migration = importlib.import_module("aphub.placements.migrations.0004_attendance_month")

SEPTEMBER = datetime.date(2026, 9, 1)
# Weekdays from the start of September to today: three months, two of them whole.
WEEKDAYS = [
    day
    for day in (SEPTEMBER + datetime.timedelta(days=n) for n in range((TODAY - SEPTEMBER).days + 1))
    if day.weekday() < 5
]


def counted_from_marks(date_from=None, date_to=None) -> dict[tuple[int, datetime.date], tuple[int, int, int, int]]:
    """(marks, attended, authorised, unauthorised) per placement and month, counted one mark at a time in Python."""
    counts: dict[tuple[int, datetime.date], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for placement_id, day, code in AttendanceMark.objects.values_list("placement_id", "date", "code"):
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        entry = lookup(code)
        count = counts[(placement_id, day.replace(day=1))]
        count[0] += 1
        count[1] += entry.is_attending
        count[2] += entry.category == Category.AUTHORISED_ABSENCE
        count[3] += entry.category == Category.UNAUTHORISED_ABSENCE
    return {key: tuple(count) for key, count in counts.items()}


def kept() -> dict[tuple[int, datetime.date], tuple[int, int, int, int]]:
    return {
        (month.placement_id, month.month): (month.marks, month.attended, month.authorised, month.unauthorised)
        for month in AttendanceMonth.objects.all()
    }


def assert_in_step():
    assert kept() == counted_from_marks()


@pytest.fixture
def since_september(area):
    """Robin's and Sam's placements began on 1 September, so their marks span three months."""
    Placement.objects.filter(pk__in=[area.robin.pk, area.sam.pk]).update(start_date=SEPTEMBER)
    for placement in (area.robin, area.sam):
        placement.refresh_from_db()
    return area


def test_the_triggers_count_the_codes_as_the_rates_do():
    assert set(migration.ATTENDING_CODES) == set(codes.ATTENDING_CODES)
    assert set(migration.AUTHORISED_CODES) == set(codes.AUTHORISED_CODES)
    assert set(migration.UNAUTHORISED_CODES) == set(codes.UNAUTHORISED_CODES)


def test_the_register_page_its_corrections_and_notes_keep_the_months(since_september):
    area = since_september
    monday = datetime.date(2026, 11, 9)

    def register(marks, day=monday, session="AM"):
        record_register(user=area.p1_staff, provision=area.horizons, date=day, session=session, marks=marks)

    register({area.robin.pk: ("/", ""), area.sam.pk: ("N", "")})
    assert kept() == {
        (area.robin.pk, monday.replace(day=1)): (1, 1, 0, 0),
        (area.sam.pk, monday.replace(day=1)): (1, 0, 0, 1),
    }
    register({area.sam.pk: ("I", "Rang in ill")})  # a correction: unauthorised becomes authorised
    assert_in_step()
    register({area.sam.pk: ("I", "Rang in ill, flu")})  # the note alone
    register({area.robin.pk: ("D", "")}, session="PM")  # not a possible session: a mark, counted in none
    register({area.robin.pk: ("L", ""), area.sam.pk: ("/", "")}, day=datetime.date(2026, 11, 2))
    assert_in_step()
    assert kept()[(area.sam.pk, monday.replace(day=1))] == (2, 1, 1, 0)


def test_the_attendance_file_keeps_the_months_when_it_adds_and_replaces_marks(area):
    robin, sam = area.robin.pupil.upn, area.sam.pupil.upn

    def send(*rows):
        text = "\n".join(["upn,date,session,code,note", *rows]) + "\n"
        import_attendance(user=area.p1_staff, provider=area.provider_p1, source=text.encode(), alerts=False)

    send(f"{robin},2026-11-09,AM,/,", f"{robin},2026-11-09,PM,N,", f"{sam},2026-11-09,AM,I,Ill")
    assert_in_step()
    send(f"{robin},2026-11-09,PM,M,Dentist", f"{robin},2026-11-10,AM,/,", f"{sam},2026-11-09,AM,I,Ill")
    assert_in_step()
    assert kept()[(area.robin.pk, datetime.date(2026, 11, 1))] == (3, 2, 1, 0)


def test_bulk_loads_keep_the_months(since_september):
    """The demo's bulk_create, and the attendance file's SQLite path (bulk_create updating conflicts)."""
    area = since_september
    AttendanceMark.objects.bulk_create(
        AttendanceMark(placement=placement, date=day, session="AM", code=code)
        for placement, code in ((area.robin, "/"), (area.sam, "O"))
        for day in WEEKDAYS
    )
    assert_in_step()
    AttendanceMark.objects.bulk_create(
        [AttendanceMark(placement=area.robin, date=day, session="AM", code="C2") for day in WEEKDAYS[:25]],
        update_conflicts=True,
        unique_fields=["placement", "date", "session"],
        update_fields=["code"],
    )
    assert_in_step()


@pytest.mark.postgres
def test_a_copy_into_the_marks_keeps_the_months(since_september):
    """The bench loader's COPY, straight into the marks table."""
    from bench.large_la import _copy_marks

    area = since_september
    rows = [
        (area.robin.pk, day, session, "/" if session == "AM" else "\\", None)
        for day in WEEKDAYS
        for session in ("AM", "PM")
    ]
    rows += [(area.sam.pk, day, "AM", "G", None) for day in WEEKDAYS]
    assert _copy_marks(iter(rows), time.perf_counter()) == len(rows)
    assert_in_step()
    assert kept()[(area.sam.pk, SEPTEMBER)] == (22, 0, 0, 22)


def test_deleting_marks_or_the_placement_takes_them_from_the_months(since_september):
    area = since_september
    for day in WEEKDAYS[:30]:
        AttendanceMark.objects.create(placement=area.robin, date=day, session="AM", code="/")
        AttendanceMark.objects.create(placement=area.sam, date=day, session="PM", code="I")
    AttendanceMark.objects.filter(placement=area.robin).first().delete()
    assert_in_step()
    AttendanceMark.objects.filter(placement=area.robin, date__month=10).delete()  # every October mark
    assert_in_step()
    assert (area.robin.pk, datetime.date(2026, 10, 1)) not in kept()
    area.sam.delete()
    assert_in_step()
    assert not AttendanceMonth.objects.filter(placement_id=area.sam.pk).exists()


def test_a_shell_moving_marks_between_months_and_placements_keeps_the_months(since_september):
    area = since_september
    for day in WEEKDAYS[15:30]:
        AttendanceMark.objects.create(placement=area.robin, date=day, session="AM", code="N")
    moved = AttendanceMark.objects.filter(date=WEEKDAYS[15])
    moved.update(date=datetime.date(2026, 11, 3))
    assert_in_step()
    AttendanceMark.objects.filter(date__month=10).update(placement=area.sam, code="B")
    assert_in_step()
    assert kept()[(area.sam.pk, datetime.date(2026, 10, 1))][1] > 0


def test_the_migration_counts_the_marks_already_recorded(since_september):
    area = since_september
    for index, day in enumerate(WEEKDAYS):
        AttendanceMark.objects.create(placement=area.robin, date=day, session="AM", code=CODES[index % len(CODES)].code)
    expected = kept()
    AttendanceMonth.objects.all().delete()
    migration.fill_months(connection)
    assert kept() == expected == counted_from_marks()


# A mark written, rewritten with another code, moved to another day or deleted, by the ORM as a shell would.
write = st.tuples(st.just("write"), st.integers(0, 1), st.sampled_from(WEEKDAYS), st.sampled_from(CODES))
delete = st.tuples(st.just("delete"), st.integers(0, 1), st.sampled_from(WEEKDAYS), st.none())
move = st.tuples(st.just("move"), st.integers(0, 1), st.sampled_from(WEEKDAYS), st.sampled_from(WEEKDAYS))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(write, delete, move), min_size=1, max_size=25))
def test_any_sequence_of_writes_keeps_the_months(since_september, steps):
    area = since_september
    AttendanceMark.objects.all().delete()
    placements = [area.robin, area.sam]
    for action, which, day, other in steps:
        marks = AttendanceMark.objects.filter(placement=placements[which], date=day, session="AM")
        if action == "write":
            AttendanceMark.objects.update_or_create(
                placement=placements[which], date=day, session="AM", defaults={"code": other.code}
            )
        elif action == "delete":
            marks.delete()
        elif not AttendanceMark.objects.filter(placement=placements[which], date=other, session="AM").exists():
            marks.update(date=other)
        assert_in_step()


period_day = st.sampled_from(WEEKDAYS + [datetime.date(2026, 9, 30), datetime.date(2026, 10, 31)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    marks=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(WEEKDAYS), st.sampled_from(CODES)), max_size=40),
    ends=st.tuples(period_day, period_day),
)
def test_counts_over_any_period_are_the_marks_own(since_september, marks, ends):
    """Whole months from their counts, the days of a month the period covers in part from the marks."""
    area = since_september
    AttendanceMark.objects.all().delete()
    placements = [area.robin, area.sam]
    AttendanceMark.objects.bulk_create(
        [
            AttendanceMark(placement=placements[which], date=day, session="AM", code=code.code)
            for which, day, code in marks
        ],
        ignore_conflicts=True,
    )
    date_from, date_to = min(ends), max(ends)
    rows = sessions_counted_by(area.officer, date_from, date_to, "placement_id")
    found = {row["placement_id"]: (row["attended"], row["authorised"], row["unauthorised"]) for row in rows}
    expected: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (placement_id, _month), (_marks, *counts) in counted_from_marks(date_from, date_to).items():
        expected[placement_id] = [total + count for total, count in zip(expected[placement_id], counts, strict=True)]
    assert {pk: counts for pk, counts in found.items() if any(counts)} == {
        pk: tuple(counts) for pk, counts in expected.items() if any(counts)
    }
