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
    if connection.vendor != "postgresql" or getattr(connection, "serial_queries", False):
        yield  # SQLite, or inside another `serial()`: already so
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        connection.serial_queries = True
        try:
            yield
        finally:
            connection.serial_queries = False


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`); beyond that the list
    says "more than 10,000" and pages on, without an exact total.

    A page is read in two steps: the page's ids from the filtered, ordered rows alone, then those rows
    with their joins (`select_related`). The planner never has to join before it limits."""

    cap = 10_000

    def __init__(self, *args, cap: int | None = None, walk=None, **kwargs):
        """`walk(offset=, limit=)`: the ids of a page, from a caller who finds a page by walking the
        list's order (`duban.core.search.walked_ids`) rather than counting its rows. A walked list
        pages up to `cap` rows; it knows its total only once a page reaches the end, and otherwise
        says that more rows match than the pages shown so far."""
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap
        self.walk = walk
        self._walked: list | None = None

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def num_pages(self) -> int:
        """Pages up to the cap: the row past it, counted to know there are more, is not shown."""
        count = min(self.count, self.cap) if self._walked is None else self.count
        return max(1, -(-count // self.per_page)) if count or self.allow_empty_first_page else 0

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap if self._walked is None else self._more

    @property
    def floor(self) -> int:
        """The number the list says more rows than: `cap`, or a walked list's rows up to its page."""
        return self.cap if self._walked is None else self._shown

    def get_page(self, number):
        with serial():  # the count and the page's ids and rows, read here
            if self.walk is not None:
                number = self._walk_to(number)
            return super().get_page(number)

    def _walk_to(self, number) -> int:
        """Walk to page `number` (the first, if it is not a page) and set what the walk learnt of the
        total: exact when the page reaches the end, else that more rows match than those up to it."""
        last = max(1, -(-self.cap // self.per_page))
        try:
            number = min(max(int(number), 1), last)
        except (TypeError, ValueError):
            number = 1
        ids = self.walk(offset=(number - 1) * self.per_page, limit=self.per_page + 1)
        if not ids and number > 1:  # past the end: the first page
            number, ids = 1, self.walk(offset=0, limit=self.per_page + 1)
        self._walked, self._more = ids[: self.per_page], len(ids) > self.per_page
        self._shown = (number - 1) * self.per_page + len(self._walked)
        # One row past the page lets the pager offer the next page, up to the cap.
        self.__dict__["count"] = self._shown + (1 if self._more and number < last else 0)
        return number

    def _get_page(self, object_list, number, paginator):
        if self.walk is None:
            ids = list(object_list.values_list("pk", flat=True))
        else:
            ids = self._walked
        rows = self.object_list.order_by().filter(pk__in=ids).in_bulk()
        return super()._get_page([rows[pk] for pk in ids], number, paginator)


def searched_page(rows, per_page: int, query: str, walk, number):
    """The page `number` of a list that may be searched (`duban.core.search.listed` gave `rows` and
    `walk`): a search is counted up to search.COMMON matches, beyond which its pages are walked."""
    from duban.core.search import COMMON  # the search module uses `serial` from here

    return CappedPaginator(rows, per_page, cap=COMMON if query.strip() else None, walk=walk).get_page(number)
