"""Item counts per ledger × lead unit × light × state, kept by the database itself.

Triggers on `ledger_item` append ±1 rows to `ledger_itemcountdelta` for every insert, delete and
change of ledger, lead unit, light or state, whoever writes (services, bulk writes, raw SQL). Appending
never waits on another writer; `compact()` (run by the sweep) folds the deltas into
`ledger_itemcount`. `summary()` reads both, so it is exact at every moment and its cost does not
grow with the number of items.
"""

# ruff: noqa: S608 - the SQL is built from this module's constants only; values go as parameters.
from __future__ import annotations

from django.db import connection, migrations, transaction

KEY = "ledger_id, lead_unit_id, light, state"

_POSTGRESQL_TRIGGERS = f"""
CREATE FUNCTION ledger_item_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_itemcountdelta ({KEY}, n) SELECT {KEY}, count(*) FROM new_rows GROUP BY {KEY};
    RETURN NULL;
END $$;
CREATE FUNCTION ledger_item_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_itemcountdelta ({KEY}, n) SELECT {KEY}, -count(*) FROM old_rows GROUP BY {KEY};
    RETURN NULL;
END $$;
CREATE FUNCTION ledger_item_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_itemcountdelta ({KEY}, n)
    SELECT {KEY}, sum(n) FROM (
        SELECT o.ledger_id, o.lead_unit_id, o.light, o.state, -1 AS n, o.id FROM old_rows o
        UNION ALL
        SELECT r.ledger_id, r.lead_unit_id, r.light, r.state, 1 AS n, r.id FROM new_rows r
    ) AS changes
    WHERE id IN (
        SELECT o.id FROM old_rows o JOIN new_rows r ON r.id = o.id
        WHERE (o.ledger_id, o.lead_unit_id, o.light, o.state)
            IS DISTINCT FROM (r.ledger_id, r.lead_unit_id, r.light, r.state)
    )
    GROUP BY {KEY} HAVING sum(n) <> 0;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_item_count_insert AFTER INSERT ON ledger_item
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_item_count_insert();
CREATE TRIGGER ledger_item_count_delete AFTER DELETE ON ledger_item
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_item_count_delete();
CREATE TRIGGER ledger_item_count_update AFTER UPDATE ON ledger_item
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION ledger_item_count_update();
"""

_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER ledger_item_count_insert AFTER INSERT ON ledger_item BEGIN
        INSERT INTO ledger_itemcountdelta ({KEY}, n)
        VALUES (NEW.ledger_id, NEW.lead_unit_id, NEW.light, NEW.state, 1);
    END""",
    f"""CREATE TRIGGER ledger_item_count_delete AFTER DELETE ON ledger_item BEGIN
        INSERT INTO ledger_itemcountdelta ({KEY}, n)
        VALUES (OLD.ledger_id, OLD.lead_unit_id, OLD.light, OLD.state, -1);
    END""",
    f"""CREATE TRIGGER ledger_item_count_update AFTER UPDATE OF {KEY} ON ledger_item
    WHEN OLD.ledger_id IS NOT NEW.ledger_id OR OLD.lead_unit_id IS NOT NEW.lead_unit_id
        OR OLD.light IS NOT NEW.light OR OLD.state IS NOT NEW.state
    BEGIN
        INSERT INTO ledger_itemcountdelta ({KEY}, n)
        VALUES (OLD.ledger_id, OLD.lead_unit_id, OLD.light, OLD.state, -1),
               (NEW.ledger_id, NEW.lead_unit_id, NEW.light, NEW.state, 1);
    END""",
]

_DROP_POSTGRESQL = """
DROP TRIGGER IF EXISTS ledger_item_count_insert ON ledger_item;
DROP TRIGGER IF EXISTS ledger_item_count_delete ON ledger_item;
DROP TRIGGER IF EXISTS ledger_item_count_update ON ledger_item;
DROP FUNCTION IF EXISTS ledger_item_count_insert(), ledger_item_count_delete(), ledger_item_count_update();
"""


def _install(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(_POSTGRESQL_TRIGGERS)
    else:
        for statement in _SQLITE_TRIGGERS:
            execute(statement)
    execute(f"INSERT INTO ledger_itemcount ({KEY}, n) SELECT {KEY}, count(*) FROM ledger_item GROUP BY {KEY}")


def _uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_DROP_POSTGRESQL)
    else:
        for name in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS ledger_item_count_{name}")
    schema_editor.execute("DELETE FROM ledger_itemcount")
    schema_editor.execute("DELETE FROM ledger_itemcountdelta")


install_operation = migrations.RunPython(_install, _uninstall, elidable=False)


def _sqlite_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS ledger_item_count_{name}")
    for statement in _SQLITE_TRIGGERS:
        schema_editor.execute(statement)


# SQLite adds most columns by copying ledger_item into a new table, which loses its triggers: a
# migration that changes ledger_item's columns ends with this operation.
sqlite_triggers_operation = migrations.RunPython(_sqlite_triggers_again, migrations.RunPython.noop, elidable=False)


def compact() -> None:
    """Fold the deltas into the counts. Safe beside writers and beside another compaction: on
    PostgreSQL the deltas are deleted and added in one statement; SQLite has one writer at a time."""
    upsert = (
        f"INSERT INTO ledger_itemcount ({KEY}, n) SELECT {KEY}, sum(n) FROM {{source}} GROUP BY {KEY} "
        "ON CONFLICT (ledger_id, lead_unit_id, light, state) DO UPDATE SET n = ledger_itemcount.n + excluded.n"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH moved AS (DELETE FROM ledger_itemcountdelta RETURNING {KEY}, n) " + upsert.format(source="moved")
            )
        else:
            cursor.execute("SELECT max(id) FROM ledger_itemcountdelta")
            (last,) = cursor.fetchone()
            if last is None:
                return
            cursor.execute(upsert.format(source=f"ledger_itemcountdelta WHERE id <= {int(last)}"))
            cursor.execute("DELETE FROM ledger_itemcountdelta WHERE id <= %s", [last])
        cursor.execute("DELETE FROM ledger_itemcount WHERE n = 0")


def summary(ledger_ids: list[int] | None = None) -> list[dict]:
    """Counts per lead unit × light × state, over all ledgers or the given ones."""
    where, params = "", []
    if ledger_ids is not None:
        params = list(ledger_ids)
        where = f"WHERE ledger_id IN ({', '.join(['%s'] * len(params)) or 'NULL'})"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lead_unit_id, light, state, sum(n) FROM ("
            f"SELECT {KEY}, n FROM ledger_itemcount UNION ALL SELECT {KEY}, n FROM ledger_itemcountdelta"
            f") AS counts {where} GROUP BY lead_unit_id, light, state HAVING sum(n) <> 0",
            params,
        )
        return [
            {"lead_unit_id": unit, "light": light, "state": state, "n": int(n)}
            for unit, light, state, n in cursor.fetchall()
        ]
