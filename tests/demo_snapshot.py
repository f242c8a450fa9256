"""The demo (aphub.demo.build) for the browser tests, built once per test process and copied into each test's tables.

A browser test's live server reads committed rows, so each test is transactional: its tables are emptied after it
(pytest-django's flush), and it used to build the demo again, 6 to 18 s a test. Now the first test in a process
builds it, every row of every table is read back once, with the uploaded files, and each test after it gets
exactly those rows, written straight into the emptied tables: the same world, with the same primary keys, made in a
fraction of the time. The sequences are moved past the copied keys, so what a test adds gets new ones, as after a
build.

Only for transactional tests (`django_db(transaction=True)`): a copy made inside a test's savepoint would be
rolled back with it, which is harmless, but the reason for copying is the live server.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction

from aphub.demo.build import build_demo
from aphub.placements.models import AttendanceMonth


@dataclass
class Snapshot:
    tables: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)  # table -> (columns, rows)
    files: dict[str, bytes] = field(default_factory=dict)  # stored name -> content


_snapshot: Snapshot | None = None
# Tables the database keeps itself from others' rows: the registers' monthly counts are written by the marks' triggers
# (placements migration 0004), so copying the marks makes them; copying them too would count every mark twice.
DERIVED_TABLES = {AttendanceMonth._meta.db_table}


def _tables() -> list[str]:
    """The tables a transactional test's flush empties (Django's own choice, so the copy and the flush agree)."""
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _stored_file_names() -> list[str]:
    names = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                names += [name for name in model._default_manager.values_list(model_field.attname, flat=True) if name]
    return names


def _take() -> Snapshot:
    snapshot = Snapshot()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (a table name from Django's own list)
            columns = [column[0] for column in cursor.description]
            snapshot.tables[table] = (columns, cursor.fetchall())
    for name in _stored_file_names():
        with default_storage.open(name) as stored:
            snapshot.files[name] = stored.read()
    return snapshot


def _put(snapshot: Snapshot) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # What is there (the migrations' rows, put back by serialized_rollback) goes first: the copy holds them.
        for statement in connection.ops.sql_flush(no_style(), list(snapshot.tables)):
            cursor.execute(statement)
        for table, (columns, rows) in snapshot.tables.items():
            if not rows or table in DERIVED_TABLES:
                continue
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    # The test storage keeps its files in memory for the whole process: put back only what is not there as it was.
    for name, content in snapshot.files.items():
        if default_storage.exists(name):
            with default_storage.open(name) as stored:
                if stored.read() == content:
                    continue
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(content))
        assert saved == name, (saved, name)


def demo_in_this_test() -> None:
    """Give this (transactional) test the demo: built the first time in this process, copied every time after."""
    global _snapshot
    if _snapshot is None:
        build_demo()
        _snapshot = _take()
    else:
        _put(_snapshot)
