"""Pagination that does not count a million rows to show fifty."""

from __future__ import annotations

from contextlib import contextmanager
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection, transaction


@contextmanager
def serial():
    """A page's few short queries without PostgreSQL's parallel workers: starting them costs more
    (10–40 ms) than the limited scans they would share."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`); beyond that the list
    says "10,000+" and pages on, without an exact total.

    A page is read in two steps: the page's ids from the filtered, ordered rows alone, then those rows
    with their joins (`select_related`). The planner never has to join before it limits."""

    cap = 10_000

    def __init__(self, *args, cap: int | None = None, walk=None, **kwargs):
        """`walk(offset=, limit=)`: the ids of a page, from a caller who knows more than `cap` rows
        match and finds a page by walking the list's order (`duban.core.search.walked_ids`): the
        rows are not counted."""
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap
        self.walk = walk
        if walk is not None:
            self.__dict__["count"] = self.cap + 1

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    def get_page(self, number):
        with serial():  # the count and the page's ids and rows, read here
            return super().get_page(number)

    def _get_page(self, object_list, number, paginator):
        if self.walk is None:
            ids = list(object_list.values_list("pk", flat=True))
        else:
            ids = self.walk(offset=(number - 1) * self.per_page, limit=self.per_page)
        rows = self.object_list.order_by().filter(pk__in=ids).in_bulk()
        return super()._get_page([rows[pk] for pk in ids], number, paginator)


def searched_page(rows, per_page: int, query: str, walk, number):
    """The page `number` of a list that may be searched (`duban.core.search.listed` gave `rows` and
    `walk`): a search is counted up to search.COMMON matches, beyond which its pages are walked."""
    from duban.core.search import COMMON  # the search module uses `serial` from here

    return CappedPaginator(rows, per_page, cap=COMMON if query.strip() else None, walk=walk).get_page(number)
