"""Many new rows of one model written at once, the fastest way the database offers: on PostgreSQL one COPY (its
primary keys drawn from the table's own sequence first, so the objects know them as after bulk_create), elsewhere
bulk_create. For imports that write tens of thousands of rows (a school's census AP return, docs/decisions/0026):
Django's bulk_create spends most of its time preparing each field of each row, which COPY's text format does not
need.

Only plain new rows: no signals are sent (bulk_create sends none either), no multi-table inheritance, and every
value is one Django would have saved (the objects were built with the model's defaults).
"""

from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# Fields whose values psycopg writes into COPY exactly as Django would send them (str, int, Decimal, bool, date,
# aware datetime, UUID and None, an enum's member as its value); any other field's values are first prepared by the
# field (get_db_prep_save: JSON, intervals...).
AS_GIVEN = frozenset(
    {
        "AutoField", "BigAutoField", "SmallAutoField", "ForeignKey", "OneToOneField", "CharField", "TextField",
        "EmailField", "SlugField", "URLField", "IntegerField", "BigIntegerField", "SmallIntegerField",
        "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "BooleanField", "DateField",
        "DateTimeField", "DecimalField", "UUIDField",
    }
)  # fmt: skip


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY `rows` (values in the order of `columns`, the model's column names) into the model's table. PostgreSQL
    only. Returns how many rows were written. psycopg writes each row in COPY's format, escapes and all (in C)."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    prepared = [
        (index, field)
        for index, field in enumerate(fields.get(column) for column in columns)
        if field is not None and field.get_internal_type() not in AS_GIVEN
    ]
    written = 0
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                if prepared:
                    row = list(row)
                    for index, field in prepared:
                        if row[index] is not None:
                            row[index] = field.get_db_prep_save(row[index], connection)
                copy.write_row(row)
                written += 1
    return written


def _new_keys(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys drawn from the table's own sequence (PostgreSQL), as inserting the rows would draw them."""
    meta = model._meta
    pk = meta.pk
    if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        raise ValueError(f"{meta.label}: give every object its primary key")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def new_objects(model: type[M], rows: Iterable[dict[str, Any]]) -> list[M]:
    """Unsaved objects of `model`, one a row, as `model(**row)` builds them, for insert_all: built from their values
    in field order, as Django builds an object read from the database, which costs a third of building it from
    keywords (an import builds tens of thousands). A row gives a relation by its object (`pupil=`), kept as the
    object's cached value as `model(pupil=...)` keeps it, or by its key (`pupil_id=`); each field it leaves out takes
    its default (a callable one is called for each row). Every row names the same fields.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return []
    meta = model._meta
    fields = list(meta.concrete_fields)
    by_name = {field.name: field for field in fields} | {field.attname: field for field in fields}
    first = rows[0]
    names = list(first)
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValueError(f"{meta.label} has no field {', '.join(unknown)}")
    given = {by_name[name]: name for name in names}
    related = [(field, name) for field, name in given.items() if field.is_relation and name == field.name]
    defaults = [field for field in fields if field not in given and field.has_default() and callable(field.default)]
    fixed = [field.get_default() for field in fields if field not in given and field not in defaults]
    # Each row's values are laid out as [given by the row, related objects' keys, fixed defaults, called defaults];
    # `order` picks them in field order.
    source = {field: index for index, field in enumerate(given)}
    source |= {field: len(names) + index for index, (field, _) in enumerate(related)}
    offset = len(names) + len(related)
    source |= {
        field: offset + index for index, field in enumerate(f for f in fields if f not in given and f not in defaults)
    }
    offset += len(fixed)
    source |= {field: offset + index for index, field in enumerate(defaults)}
    order = [source[field] for field in fields]
    objs = []
    for row in rows:
        if row.keys() != first.keys():
            raise ValueError(f"{meta.label}: every row names the same fields ({', '.join(names)})")
        laid_out = [
            *(row[name] for name in names),
            *(getattr(row[name], "pk", None) for _, name in related),
            *fixed,
            *(field.get_default() for field in defaults),
        ]
        obj = model(*[laid_out[index] for index in order])
        for field, name in related:
            field.set_cached_value(obj, row[name])  # type: ignore[attr-defined]
        objs.append(obj)
    return objs


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
        keys = iter(_new_keys(model, sum(1 for obj in objs if obj.pk is None)))
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


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Save new rows of `model` at once, each given as its values by attribute name (`placement_id`, not `placement`),
    and return how many were written: insert_all without building an object a row, which is most of its time when an
    import writes tens of thousands of rows nobody reads back as objects (funding lines, clocks). The database gives
    each its key, as an INSERT would.

    Every row names the same fields; each field it leaves out takes the value a new object would save: its default
    (a callable one is called for each row, as for each object), and the moment of writing for auto_now(_add).
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    meta = model._meta
    first = rows[0]
    names = list(first)
    by_attname = {field.attname: field for field in meta.concrete_fields}
    unknown = [name for name in names if name not in by_attname]
    if unknown:
        raise ValueError(f"{meta.label} has no field {', '.join(unknown)} (name a relation by its attname)")
    pk = meta.pk
    assert pk is not None
    if pk.attname in names:
        raise ValueError(f"{meta.label}: new rows take their keys from the database; give none")
    if connection.vendor != "postgresql":
        return len(model.objects.bulk_create([model(**row) for row in rows]))  # type: ignore[attr-defined]
    given = [by_attname[name] for name in names]
    moment = timezone.now()  # what DateTimeField.pre_save gives auto_now(_add), once for the statement
    constant: dict[models.Field, Any] = {}  # the defaults read once: not callable, or the moment of writing
    per_row = []  # callable defaults, called for each row as Model.__init__ calls them for each object
    for field in meta.concrete_fields:
        if field is pk or field.attname in names:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant[field] = moment
        elif field.has_default() and callable(field.default):
            per_row.append(field)
        else:
            constant[field] = field.get_default()
    fixed = list(constant.values())

    def values() -> Iterator[list[Any]]:
        for row in rows:
            if row.keys() != first.keys():
                raise ValueError(f"{meta.label}: every row names the same fields ({', '.join(names)})")
            yield [*(row[name] for name in names), *fixed, *(field.get_default() for field in per_row)]

    return copy_rows(model, [field.column or field.attname for field in (*given, *constant, *per_row)], values())
