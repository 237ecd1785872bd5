"""What can be exported in the background: each context lists its kinds (an AppConfig's
`export_kinds()`), each a key and a function that reads the list again, with the asker's rights,
from the query string it was drawn with."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.http import QueryDict

from duban.core.exports import Column


@dataclass(frozen=True)
class Export:
    """A workbook to write: its file name, title (how the exports page names it, with the filter it
    was drawn with), its sheets as (title, headers, rows), how many rows they hold (`count(limit)`
    counts up to `limit` rows: is the list small enough to send at once? `count(None)` all of
    them), and the list's page, to ask again."""

    filename: str
    title: str
    sheets: Sequence[tuple[str, Sequence[str | Column], Iterable[Sequence]]]
    count: Callable[[int | None], int]
    list_url: str = ""


@dataclass(frozen=True)
class ExportKind:
    key: str
    # (user, query) → the Export; raises PermissionDenied or Http404 as the list's page would
    build: Callable[[object, QueryDict], Export]


def kinds() -> dict[str, ExportKind]:
    found = {}
    for config in apps.get_app_configs():
        for kind in getattr(config, "export_kinds", lambda: [])():
            found[kind.key] = kind
    return found


def query_of(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, list(values))
    return query


def params_of(query: QueryDict) -> dict:
    return {name: query.getlist(name) for name in query if name not in ("page", "format")}


def titled(what: str, summary: str) -> str:
    """“督办台账（牵头单位：东门街道；…）”: what is exported, and the filter it was drawn with."""
    return f"{what}（{summary}）" if summary else what


def counter(rows) -> Callable[[int | None], int]:
    """`Export.count` for a queryset."""
    unordered = rows.order_by()
    return lambda limit: unordered[:limit].count() if limit else unordered.count()
