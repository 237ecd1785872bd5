"""Writing many new rows at once.

`insert_many` is `bulk_create` for the large writes (an import of 100,000 items): on PostgreSQL it
takes the ids from the table's sequence and streams the rows with COPY, which costs a fraction of
the multi-row INSERT statements Django builds; elsewhere it is `bulk_create`. Either way the
objects come back with their ids set and saved, and the table's triggers fire as for an INSERT.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

from django.db import connections, models, router

# Field types whose Python value (after full_clean, or as set by our own services) the driver
# writes as it is; every other field goes through Django's conversion for the database.
AS_IS = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "DateTimeField",
    "ForeignKey", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
    "TextField",
}  # fmt: skip


def insert_many(model: type[models.Model], objs: Sequence[models.Model], batch_size: int = 1000) -> None:
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
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


def _reader(field: models.Field, connection) -> Callable[[models.Model], object]:
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if field.get_internal_type() in AS_IS and not stamped:
        return operator.attrgetter(field.attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
