"""Prepared statements for the few hot statements that run with the same text again and again
(every Open311 post reads its client and writes its report). The ORM binds parameters on the
client, so PostgreSQL parses and plans every statement afresh; for a write that touches four
tables the plan costs as much as the write. A server-bound cursor with `prepare=True` plans each
statement once per connection. Elsewhere (SQLite) it is the ordinary cursor.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connections


@contextmanager
def prepared_cursor(alias: str = "default") -> Iterator:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield _Prepared(cursor)


class _Prepared:
    def __init__(self, cursor) -> None:
        self.cursor = cursor

    def execute(self, sql: str, params: Sequence = ()) -> None:
        self.cursor.execute(sql, params, prepare=True)

    def fetchone(self):
        return self.cursor.fetchone()

    def fetchall(self):
        return self.cursor.fetchall()
