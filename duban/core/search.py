"""Substring search on Chinese text that an index can serve, with the same results on SQLite and
PostgreSQL (docs/decisions/0002-search-by-character-bigrams.md).

A searchable row keeps `search_tokens`: the single characters and the pairs of adjacent characters
of its searchable text, case-folded and separated by spaces. A row that contains the query contains
every pair of the query, so on PostgreSQL a GIN index over the tokens narrows the rows first and the
substring test (`icontains`) then decides, exactly as it does alone on SQLite.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import connection, migrations
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL


def _fold(text: str) -> str:
    folded = text.upper()
    if len(folded) == len(text):
        return folded
    # A character whose capital is longer (ß → SS) stays as it is, so positions match the text.
    return "".join(upper if len(upper := char.upper()) == 1 else char for char in text)


def _grams(text: str) -> set[str]:
    text = _fold(text)
    singles = {char for char in text if not char.isspace()}
    pairs = {text[i : i + 2] for i in range(len(text) - 1) if not (text[i].isspace() or text[i + 1].isspace())}
    return singles | pairs


def tokens(*texts: str) -> str:
    """The value to store in a row's `search_tokens` for its searchable texts."""
    return " ".join(sorted(set().union(*(_grams(text) for text in texts if text))))


def query_grams(query: str) -> list[str]:
    """The tokens every matching row holds: the query's pairs, or its characters when it has none."""
    grams = _grams(query)
    pairs = sorted(gram for gram in grams if len(gram) == 2)
    return pairs or sorted(grams)


def _tsquery(grams: list[str]) -> str:
    return " & ".join("'" + gram.replace("\\", "\\\\").replace("'", "''") + "'" for gram in grams)


def _tsvector_sql(column: str) -> str:
    return f"array_to_tsvector(string_to_array({column}, ' '))"


def matches(model, query: str, fields: list[str]) -> Q:
    """The condition that a row of `model` contains `query` (case-insensitive) in one of `fields`."""
    query = query.strip()
    if not query:
        return Q()
    contains = reduce(or_, (Q(**{f"{field}__icontains": query}) for field in fields))
    grams = query_grams(query)
    if connection.vendor != "postgresql" or not grams:
        return contains
    column = connection.ops.quote_name(model._meta.db_table) + ".search_tokens"
    tsquery = _tsquery(grams)  # passed as a parameter, never spliced into the SQL
    narrowed = RawSQL(f"{_tsvector_sql(column)} @@ %s::tsquery", [tsquery], output_field=BooleanField())  # noqa: S611
    return Q(narrowed) & contains


def index_operation(table: str) -> migrations.RunPython:
    """A migration operation adding the GIN index over `table.search_tokens` on PostgreSQL
    (SQLite has no such index and searches by the substring test alone)."""
    name = f"{table}_search_gin"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (({_tsvector_sql('search_tokens')}))")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
