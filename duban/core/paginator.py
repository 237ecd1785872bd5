"""Pagination that does not count a million rows to show fifty."""

from __future__ import annotations

from contextlib import contextmanager
from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection, transaction
from django.db.models import Count, Window
from django.utils.translation import gettext_lazy as _


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


class OnePassPaginator(CappedPaginator):
    """For a filter that reads every row anyway (a substring of long texts): one query gives the
    page's ids and the number of matching rows (`COUNT(*) OVER ()`), so the rows are scanned once
    and only a page of ids leaves the database. The count is exact; only a page past the end costs
    a second query (a count, to find the last page)."""

    is_capped = False

    @cached_property
    def count(self) -> int:
        return self.object_list.count()

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)

    def page(self, number):
        number = self._whole(number)
        bottom = (number - 1) * self.per_page
        found = list(
            self.object_list.annotate(_matching=Window(Count("pk"))).values_list("pk", "_matching")[
                bottom : bottom + self.per_page
            ]
        )
        if found:
            self.__dict__["count"] = found[0][1]
        elif number > 1:
            self.validate_number(number)  # past the end: counts, raises EmptyPage
        else:
            self.__dict__["count"] = 0
        ids = [pk for pk, _ in found]
        rows = self.object_list.order_by().filter(pk__in=ids).in_bulk()
        return Paginator._get_page(self, [rows[pk] for pk in ids], number, self)

    @staticmethod
    def _whole(number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number
