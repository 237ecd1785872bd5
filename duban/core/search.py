"""Substring search on Chinese text that an index can serve, with the same results on SQLite and
PostgreSQL (docs/decisions/0002-search-by-character-bigrams.md, 0009-search-at-a-million-items.md).

A searchable row keeps `search_tokens`: the single characters, the pairs and the triples of adjacent
characters of its searchable text, case-folded and separated by spaces. A row that contains the query
contains every triple of the query (every pair, for a query of two characters), so on PostgreSQL a
GIN index over the tokens narrows the rows first and the substring test (`icontains`) then decides,
exactly as it does alone on SQLite.

The index helps when few rows match. When many do (a two-character word in one item of ten), reading
every match to sort them costs more than walking the list in its own order and stopping at a page:
`filter_matching` counts the matches through the index up to COMMON and, beyond that, leaves the
index out so that PostgreSQL walks the list's order with the substring test.
"""

from __future__ import annotations

import time
from functools import partial, reduce
from operator import and_, or_
from typing import NamedTuple

from django.db import connection, migrations
from django.db.models import BooleanField, Case, Q, When
from django.db.models.expressions import RawSQL

from duban.core.paginator import serial


def _fold(text: str) -> str:
    folded = text.upper()
    if len(folded) == len(text):
        return folded
    # A character whose capital is longer (ß → SS) stays as it is, so positions match the text.
    return "".join(upper if len(upper := char.upper()) == 1 else char for char in text)


# More matches than this and the index no longer narrows: the list is walked in its order instead.
COMMON = 200
# The index is asked for at most this many grams of a query: its rarest (PostgreSQL's statistics).
NARROWING = 4
SHARES_FOR_SECONDS = 600
_shares_read: dict[str, tuple[float, float, dict[str, float]]] = {}  # table → (read at, rows, {gram: share})


def _grams(text: str, longest: int = 3) -> set[str]:
    """The characters, pairs (and, `longest` 3, triples) of adjacent characters of `text` that hold
    no space and nothing unprintable (a control character or a lone surrogate, which the text's
    cleaning on save would turn into a space inside the tokens)."""
    text = _fold(text)
    grams = set()
    for size in range(1, longest + 1):
        for start in range(len(text) - size + 1):
            gram = text[start : start + size]
            if gram.isprintable() and " " not in gram:
                grams.add(gram)
    return grams


def tokens(*texts: str, longest: int = 3) -> str:
    """The value to store in a row's `search_tokens` for its searchable texts."""
    return " ".join(sorted(set().union(*(_grams(text, longest) for text in texts if text))))


def query_grams(query: str, longest: int = 3) -> list[str]:
    """The tokens every matching row holds: the query's longest grams (triples, else pairs, else
    characters; at most `longest` characters, as the rows' tokens)."""
    grams = _grams(query, longest)
    size = max((len(gram) for gram in grams), default=0)
    return sorted(gram for gram in grams if len(gram) == size)


def _tsquery(grams: list[str]) -> str:
    return " & ".join("'" + gram.replace("\\", "\\\\").replace("'", "''") + "'" for gram in grams)


def _tsvector_sql(column: str) -> str:
    return f"array_to_tsvector(string_to_array({column}, ' '))"


def tokens_sql(text: str, longest: int = 3) -> str:
    """`tokens()` in PostgreSQL's SQL, for the benchmarks' bulk loads: `text` is an SQL expression of
    the row's searchable texts joined by spaces."""
    sizes = ", ".join(f"(substr(t.text, n, {size}))" for size in range(1, longest + 1))
    return (
        "(SELECT string_agg(DISTINCT gram, ' ' ORDER BY gram) "  # noqa: S608 - the caller's fixed expression
        f"FROM (SELECT upper({text}) AS text) t, generate_series(1, length(t.text)) AS n, "
        f"LATERAL (VALUES {sizes}) AS g(gram) "
        "WHERE gram !~ '\\s')"  # a shorter gram at the end is one of the shorter grams already there
    )


def _shares(table: str) -> tuple[float, dict[str, float]]:
    """The table's rows, and the share of its rows holding each of the commonest grams, from the
    statistics ANALYZE keeps of the search index (read again every ten minutes)."""
    read_at, rows, shares = _shares_read.get(table, (-SHARES_FOR_SECONDS, 0.0, {}))
    if time.monotonic() - read_at >= SHARES_FOR_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs FROM pg_class c "
                "LEFT JOIN pg_stats s ON s.tablename = %s WHERE c.relname = %s",
                [f"{table}_search_gin", table],
            )
            found = cursor.fetchone()
        rows = max(float(found[0]), 0.0) if found else 0.0
        shares = dict(zip(found[1], found[2], strict=False)) if found and found[1] else {}
        _shares_read[table] = (time.monotonic(), rows, shares)
    return rows, shares


def _rarest(table: str, grams: list[str]) -> list[str]:
    """The NARROWING grams fewest rows hold (a gram too rare for the statistics counts as none)."""
    _rows, shares = _shares(table)
    return sorted(grams, key=lambda gram: (shares.get(gram, 0.0), gram))[:NARROWING]


def known_share(table: str, query: str, longest: int = 3) -> float | None:
    """The share of rows containing `query` when the statistics know it exactly: a query of at most
    `longest` characters is one gram, held by exactly the rows that contain it. None otherwise (a
    longer query's grams may each be common while the whole is rare)."""
    grams = query_grams(query.strip(), longest)
    if len(grams) != 1 or len(query.strip()) > longest or len(terms(query)) != 1:
        return None
    _rows, shares = _shares(table)
    return shares.get(grams[0])


def gram_length(model) -> int:
    """The longest gram a model's tokens hold (`SearchableModel.GRAM_LENGTH`)."""
    return getattr(model, "GRAM_LENGTH", 3)


def terms(query: str) -> list[str]:
    """The words of a query typed with spaces between them (东门 商圈): a row holds every one."""
    return list(dict.fromkeys(query.split()))


def contains(query: str, fields: list[str]) -> Q:
    """The substring test alone: each of the query's `terms` (case-insensitive) in one of `fields`."""
    return reduce(
        and_, (reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields)) for term in terms(query))
    )


def matches(model, query: str, fields: list[str]) -> Q:
    """The condition that a row of `model` contains `query` (case-insensitive) in one of `fields`,
    narrowed by the index on PostgreSQL."""
    query = query.strip()
    if not query:
        return Q()
    grams = sorted(set().union(*(query_grams(term, gram_length(model)) for term in terms(query))))
    if connection.vendor != "postgresql" or not grams:
        return contains(query, fields)
    column = connection.ops.quote_name(model._meta.db_table) + ".search_tokens"
    tsquery = _tsquery(_rarest(model._meta.db_table, grams))  # passed as a parameter, never spliced into the SQL
    narrowed = RawSQL(f"{_tsvector_sql(column)} @@ %s::tsquery", [tsquery], output_field=BooleanField())  # noqa: S611
    return Q(narrowed) & contains(query, fields)


class Start(NamedTuple):
    """What a list's first rows showed: the ids of those containing the query, in the list's order,
    of the `read` first rows (all of them, when fewer than asked for)."""

    ids: list
    read: int


def filter_matching(rows, query: str, fields: list[str], order: tuple | list = (), also=None):
    """`rows` (a queryset, every other filter applied) that contain `query`; whether they are few (at
    most COMMON), then the index narrows them; and, when many, what helps `walked_ids` find a page:
    the share of the list's rows they are, if known, and what its first rows showed. Many: one in a
    hundred of the list's first rows (`sampled_rows`, in `order`) match, or the statistics say so of
    a short query; otherwise one count through the index, up to COMMON, decides. A list no longer
    than the sample is counted there exactly. `also`, (field, values): a row whose `field` is one of
    `values` matches too (a ledger item led by a unit the query names)."""
    query = query.strip()
    if not query:
        return rows, False, None, None
    named = Q(**{f"{also[0]}__in": also[1]}) if also and also[1] else None
    narrowed = rows.filter(_either(matches(rows.model, query, fields), named))
    if connection.vendor != "postgresql":
        return narrowed, True, None, None
    broad = rows.filter(_either(contains(query, fields), named))
    with serial():  # one transaction for the statements that decide
        return _decided(rows, query, fields, order, also, named, narrowed, broad)


def _decided(rows, query, fields, order, also, named, narrowed, broad):
    """`filter_matching`'s decision, its statements in one transaction."""
    sampled, start, density = sampled_rows(rows.model), None, None
    if order and sampled:
        start = _matching_at_start(rows.order_by(*order), query, fields, also, sampled)
        density = len(start.ids) / start.read if start.read else None
        if start.read < sampled:  # the whole list was read
            return (narrowed, True, None, None) if len(start.ids) <= COMMON else (broad, False, density, start)
        if len(start.ids) >= sampled // 100:
            return broad, False, density, start
    if named is not None and rows.filter(named).order_by()[: COMMON + 1].count() > COMMON:
        return broad, False, density, start  # the named rows alone, counted through their own index, are many
    table = rows.model._meta.db_table
    share = known_share(table, query, gram_length(rows.model))
    maybe_few = share is None or share * _shares(table)[0] <= 10 * COMMON
    if maybe_few and narrowed.order_by()[: COMMON + 1].count() <= COMMON:
        return narrowed, True, None, None
    return broad, False, density or share, start


def _either(text: Q, named: Q | None) -> Q:
    return text if named is None else text | named


def listed(rows, query: str, fields: list[str], order: tuple | list, exact: tuple | list = (), also=None):
    """A list's rows (every other filter applied) containing `query`, in `order`, and how to find a
    page when many match: `walk(offset=, limit=)` for `CappedPaginator(walk=)`, else None. When few
    match, a row whose `exact` field equals the query comes first (in the order of `exact`). `also`
    as for `filter_matching`."""
    query = query.strip()
    if not query:
        return rows.order_by(*order), None
    found, few, share, start = filter_matching(rows, query, fields, order, also)
    if not few:
        walk = partial(walked_ids, rows.order_by(*order), query, fields, also=also, share=share, start=start)
        return found.order_by(*order), walk
    if not exact:
        return found.order_by(*order), None
    ranks = (When(**{f"{field}__iexact": query}, then=rank) for rank, field in enumerate(exact))
    return found.order_by(Case(*ranks, default=len(exact)), *order), None


WALK_FIRST = 2000  # rows read in the list's order before looking further
LONGEST_FIRST_WINDOW = 100_000


def sampled_rows(model) -> int:
    """How many of a list's first rows are read to tell a broad query (`SearchableModel.SAMPLED_ROWS`):
    none for long texts, whose reading costs more than a count through the index."""
    return getattr(model, "SAMPLED_ROWS", WALK_FIRST)


def _window_tested(rows, query: str, fields: list[str], also, start: int, size: int, what: str, most=None):
    """`what` (an SQL select list over `w`) of the rows `start` to `start + size` of `rows` in their
    order that contain `query` (or whose `also` field is one of its values), in that order, the first
    `most` of them: the window is read through the list's index, and each of its rows tested as
    `icontains` tests it until `most` are found. A `what` holding `{tests}` is over the whole window
    (an aggregate's FILTER). The SQL is compiled by the ORM; every value is a parameter."""
    columns = ["pk", *fields, *([also[0]] if also and also[1] else [])]
    window, params = rows.values(*columns)[start : start + size].query.sql_with_params()
    quote = connection.ops.quote_name
    if query.upper() == query.lower():  # no case (Chinese, digits): the texts as they are, twice as fast
        test = "w.{} LIKE %s ESCAPE '\\'"
    else:
        test = "UPPER(CAST(w.{} AS TEXT)) LIKE UPPER(%s) ESCAPE '\\'"
    words = terms(query)
    tests = " AND ".join("(" + " OR ".join(test.format(quote(field)) for field in fields) + ")" for _word in words)
    tested = [f"%{connection.ops.prep_for_like_query(word)}%" for word in words for _field in fields]
    if also and also[1]:  # first: a number is tested faster than a text
        tests = f"w.{quote(also[0])} IN ({', '.join(['%s'] * len(also[1]))}) OR ({tests})"
        tested = [*also[1], *tested]
    if "{tests}" in what:  # the tests in the select list: before the window's parameters
        sql, values = f"SELECT {what.format(tests=tests)} FROM ({window}) w", [*tested, *params]  # noqa: S608
    else:
        limit = f" LIMIT {int(most)}" if most is not None else ""
        sql, values = f"SELECT {what} FROM ({window}) w WHERE {tests}{limit}", [*params, *tested]  # noqa: S608
    with serial(), connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def _matching_at_start(rows, query: str, fields: list[str], also, sampled: int) -> Start:
    """Which of the list's first `sampled` rows contain `query`, and how many rows were read (fewer
    when the list is shorter): one statement, on PostgreSQL. The ids are aggregated in the order the
    window gives them, as PostgreSQL's documentation has an ordered subquery feed an aggregate."""
    ids, read = _window_tested(
        rows, query, fields, also, 0, sampled, "array_agg(w.pk) FILTER (WHERE {tests}), count(*)"
    )[0]
    return Start(ids or [], read)


def walked_ids(rows, query: str, fields: list[str], *, offset: int, limit: int, also=None, share=None,
               start: Start | None = None) -> list:  # fmt: skip
    """The ids of `rows` (in the list's order, every other filter applied) containing `query`, from
    `offset`: the rows read in that order in windows growing eightfold, each tested in the database,
    until the page is full or the list ends. For a query many rows match this stops after a few
    thousand rows, where PostgreSQL, unable to tell how many rows a substring matches, may read and
    sort the whole table instead. `also` as for `filter_matching`; `share`, the share of rows known
    to match, sizes the first window to hold the page; `start`, what the list's first rows showed,
    is not read again."""
    query = query.strip()
    found, first = (list(start.ids), start.read) if start else ([], 0)
    window = max(sampled_rows(rows.model), 8 * (offset + limit))
    if share:
        window = max(window, min(LONGEST_FIRST_WINDOW, int(1.5 * (offset + limit - len(found)) / share)))
    ended = start is not None and start.read < sampled_rows(rows.model)
    while len(found) < offset + limit and not ended:
        need = offset + limit - len(found)
        found += [pk for (pk,) in _window_tested(rows, query, fields, also, first, window, "w.pk", need)]
        ended = len(found) < offset + limit and not rows[first + window : first + window + 1].exists()
        first, window = first + window, window * 8
    return found[offset : offset + limit]


def tokens_operation(app_label: str, model_name: str, fields: list[str], longest: int) -> migrations.RunPython:
    """A migration operation writing every row's `search_tokens` of `fields` (a searchable model's
    SEARCHED_FIELDS and GRAM_LENGTH as the migration knows them)."""

    def fill(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        batch = []
        for row in model.objects.only(*fields).order_by("pk").iterator(chunk_size=500):
            row.search_tokens = tokens(*(getattr(row, field) for field in fields), longest=longest)
            batch.append(row)
            if len(batch) == 500:
                model.objects.bulk_update(batch, ["search_tokens"])
                batch = []
        model.objects.bulk_update(batch, ["search_tokens"])

    return migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)


def searchable_operations(app_label: str, model_name: str, fields: list[str], longest: int) -> list:
    """A migration's operations making a model searchable: its `search_tokens` column, written for
    every row, and the index over them (`SearchableModel`; its SEARCHED_FIELDS and GRAM_LENGTH as the
    migration knows them)."""
    from django.db import models  # a migration's field, as makemigrations writes it

    return [
        migrations.AddField(
            model_name=model_name.lower(), name="search_tokens", field=models.TextField(default="", editable=False)
        ),
        tokens_operation(app_label, model_name, fields, longest),
        index_operation(f"{app_label}_{model_name.lower()}"),
    ]


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
