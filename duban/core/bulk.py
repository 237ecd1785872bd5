"""Writing many new rows at once.

`insert_many` is `bulk_create` for the large writes (an import of 100,000 items, a campaign's day
of reports): on PostgreSQL it takes the ids from the table's sequence and streams the rows with
COPY; on SQLite, which a transaction holds for writing alone, it numbers the rows after the
table's highest id and runs one INSERT for all of them (executemany). Both cost a fraction of the
multi-row INSERT statements Django builds. Either way the objects come back with their ids set
and saved, and the table's triggers fire as for an INSERT.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
from collections.abc import Callable, Sequence

from django.db import connections, models, router

from duban.core.prepared import prepared_cursor
from duban.core.text import clean_instance

# Field types whose Python value (after full_clean, or as set by our own services) the driver
# writes as it is; every other field goes through Django's conversion for the database.
AS_IS = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "DateTimeField",
    "ForeignKey", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
    "TextField",
}  # fmt: skip


# Below this many rows a plain INSERT beats COPY's extra round trips (one Open311 report, say).
SMALL = 20


def insert_many(model: type[models.Model], objs: Sequence[models.Model], batch_size: int = 1000) -> None:
    if not objs:
        return
    for obj in objs:  # no pre_save here: strip what XML forbids as save() would
        clean_instance(obj)
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite" and not connection.get_autocommit():
        _insert_sqlite(model, objs, connection)
        return
    if connection.vendor == "postgresql" and len(objs) < SMALL:
        _insert_returning(model, objs, connection)
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        readers = [_reader(field, connection) for field in fields]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([read(obj) for read in readers])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _insert_returning(model: type[models.Model], objs: Sequence[models.Model], connection) -> None:
    """A few rows in one INSERT … RETURNING id (PostgreSQL returns them in the order given)."""
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.generated and field is not meta.pk]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    readers = [_reader(field, connection) for field in fields]
    params = [read(obj) for obj in objs for read in readers]
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * len(objs))} RETURNING {quote(meta.pk.column)}"  # noqa: E501, S608 - names from the model
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def writes_linked(model: type[models.Model]) -> bool:
    """Whether `insert_linked` can run here (PostgreSQL's data-modifying WITH)."""
    return connections[router.db_for_write(model)].vendor == "postgresql"


def insert_linked(obj: models.Model, linked: Sequence[models.Model] = (), also: Sequence[models.Model] = ()) -> None:
    """A new row, the new rows pointing at it (`linked`) and other new rows (`also`), all in one
    statement: one round trip, atomic without a transaction of its own (PostgreSQL only; see
    `writes_linked`). The objects come back with their ids set, as from `insert_many`.

    Each table's rows travel as one JSON parameter read by `jsonb_populate_recordset`, so the
    statement's text depends only on which tables it writes: it is built once per process and
    prepared once per connection (duban.core.prepared)."""
    connection = connections[router.db_for_write(type(obj))]
    for row in (obj, *linked, *also):
        clean_instance(row)
    groups: dict[tuple[str, type[models.Model]], list[models.Model]] = {("p", type(obj)): [obj]}
    for row in linked:
        groups.setdefault(("l", type(row)), []).append(row)
    for row in also:
        groups.setdefault(("a", type(row)), []).append(row)
    sql, field_lists = _linked_statement(connection.alias, tuple(groups))
    params = [
        json.dumps([_json_row(row, fields) for row in rows], default=str)
        for rows, fields in zip(groups.values(), field_lists, strict=True)
    ]
    with prepared_cursor(connection.alias) as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    by_group: dict[int, list[int]] = {}
    for n, row_pk in found:
        by_group.setdefault(n, []).append(row_pk)
    for n, rows in enumerate(groups.values()):
        # A sequence hands out increasing ids in the order the rows were inserted.
        for row, row_pk in zip(rows, sorted(by_group[n]), strict=True):
            row.pk = row_pk
            row._state.adding = False
            row._state.db = connection.alias
    for row in linked:
        setattr(row, _link(type(row), type(obj)).attname, obj.pk)


@functools.cache
def _linked_statement(alias: str, shape: tuple) -> tuple[str, list[list[models.Field]]]:
    """The statement for a shape ((role, model), …) and the fields each group's JSON carries."""
    quote = connections[alias].ops.quote_name
    parent = shape[0][1]
    parts, field_lists = [], []
    for n, (role, model) in enumerate(shape):
        meta = model._meta
        link = _link(model, parent) if role == "l" else None
        fields = [f for f in meta.concrete_fields if not f.generated and f is not meta.pk and f is not link]
        field_lists.append(fields)
        names = ", ".join(quote(f.column) for f in fields)
        values = ", ".join(f"r.{quote(f.column)}" for f in fields)
        source = f"jsonb_populate_recordset(NULL::{quote(meta.db_table)}, %s::jsonb) WITH ORDINALITY AS r"
        if link:
            names, values = f"{quote(link.column)}, {names}", f"p.{quote(parent._meta.pk.column)}, {values}"
            source = f"p, {source}"
        name = "p" if n == 0 else f"t{n}"
        insert = f"INSERT INTO {quote(meta.db_table)} ({names}) SELECT {values} FROM {source}"  # noqa: S608 - model names
        parts.append(f"{name} AS ({insert} ORDER BY r.ordinality RETURNING {quote(meta.pk.column)} AS id)")
    ids = " UNION ALL ".join(f"SELECT {n}, id FROM {'p' if n == 0 else f't{n}'}" for n in range(len(shape)))  # noqa: S608
    return f"WITH {', '.join(parts)} {ids}", field_lists


def _link(model: type[models.Model], parent: type[models.Model]) -> models.Field:
    """The one foreign key from `model` to `parent`."""
    return next(f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is parent)


def _json_row(row: models.Model, fields: list[models.Field]) -> dict:
    values = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = field.pre_save(row, True)
        else:
            value = row.__dict__.get(field.attname)
        values[field.column] = value.isoformat() if isinstance(value, dt.date | dt.time) else value  # datetimes too
    return values


def _insert_sqlite(model: type[models.Model], objs: Sequence[models.Model], connection) -> None:
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({quote(meta.pk.column)}), 0) FROM {quote(meta.db_table)}")  # noqa: S608
        top = cursor.fetchone()[0]
        for offset, obj in enumerate(objs, start=1):
            obj.pk = top + offset
        readers = [_reader(field, connection) for field in fields]
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})",  # noqa: S608 - names from the model
            [[read(obj) for read in readers] for obj in objs],
        )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


# What SQLite's driver takes as it is (dates and times go through Django's conversion there).
AS_IS_SQLITE = AS_IS - {"DateField", "DateTimeField"}


def _reader(field: models.Field, connection) -> Callable[[models.Model], object]:
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    as_is = AS_IS if connection.vendor == "postgresql" else AS_IS_SQLITE
    if field.get_internal_type() in as_is and not stamped:
        return operator.attrgetter(field.attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def update_many(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write `fields` of each of `objs`: one UPDATE statement run for every row (executemany), far
    cheaper than `bulk_update`'s CASE per row and field. No signals, no `save()`."""
    if not objs:
        return
    for obj in objs:
        clean_instance(obj)
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names from the model
    as_is = AS_IS if connection.vendor == "postgresql" else AS_IS_SQLITE
    readers = [
        operator.attrgetter(field.attname)
        if field.get_internal_type() in as_is
        else (lambda obj, field=field: field.get_db_prep_save(getattr(obj, field.attname), connection))
        for field in columns
    ]
    params = [[read(obj) for read in readers] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
