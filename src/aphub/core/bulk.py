"""Many new rows of one model written at once, the fastest way the database offers: on PostgreSQL one COPY (its
primary keys drawn from the table's own sequence first, so the objects know them as after bulk_create), elsewhere
bulk_create. For imports that write tens of thousands of rows (a school's census AP return, docs/decisions/0026):
Django's bulk_create spends most of its time preparing each field of each row, which COPY's text format does not
need.

Only plain new rows: no signals are sent (bulk_create sends none either), no multi-table inheritance, and every
value is one Django would have saved (the objects were built with the model's defaults).
"""

import datetime
import re
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)

# COPY's text format: a backslash, tab, newline or carriage return inside a value is written as an escape.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")
CHUNK_ROWS = 10_000


def _text(value: Any, field: models.Field | None) -> str:
    """One value in COPY's text format."""
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES) if _SPECIAL.search(value) else value
    if kind is int or kind is Decimal:
        return str(value)
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, int | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()  # an aware datetime keeps its offset; PostgreSQL stores it as UTC
    if field is not None:  # anything else as Django would send it (JSON, intervals...)
        return _text(field.get_db_prep_save(value, connection), None)
    return str(value).translate(_ESCAPES)


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY `rows` (values in the order of `columns`, the model's column names) into the model's table. PostgreSQL
    only. Returns how many rows were written."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    column_fields = [fields.get(column) for column in columns]
    written = 0
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN") as copy:
            lines: list[str] = []
            for row in rows:
                lines.append("\t".join(_text(value, field) for value, field in zip(row, column_fields, strict=True)))
                if len(lines) == CHUNK_ROWS:
                    copy.write("\n".join(lines) + "\n")
                    written += len(lines)
                    lines = []
            if lines:
                copy.write("\n".join(lines) + "\n")
                written += len(lines)
    return written


def insert_all(model: type[M], objs: Iterable[M]) -> list[M]:
    """Save new objects of `model` at once and return them with their primary keys, as bulk_create does."""
    objs = list(objs)
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs)  # type: ignore[attr-defined]
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    if any(obj.pk is None for obj in objs):
        if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
            raise ValueError(f"{meta.label}: give every object its primary key")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, sum(1 for obj in objs if obj.pk is None)],
            )
            keys = iter(row[0] for row in cursor.fetchall())
        for obj in objs:
            if obj.pk is None:
                obj.pk = next(keys)
    fields = list(meta.concrete_fields)
    # What bulk_create does first: each related object's id, then each field's value as saved. Only fields that
    # change a value as it is saved (auto_now, auto_now_add) are asked; the others' values are read as they are.
    on_save = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    relations = [field for field in fields if field.is_relation]
    for obj in objs:
        for field in relations:
            # A related object given before it was saved: its key now (Model._prepare_related_fields_for_save).
            if getattr(obj, field.attname) in (None, "") and field.is_cached(obj):  # type: ignore[attr-defined]
                related = field.get_cached_value(obj)  # type: ignore[attr-defined]
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{meta.label}: save the related {field.name} first")
                    setattr(obj, field.attname, related.pk)
        for field in on_save:
            field.pre_save(obj, True)
    values = attrgetter(*(field.attname for field in fields))
    copy_rows(model, [field.column or field.attname for field in fields], (values(obj) for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
