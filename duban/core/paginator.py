"""Pagination that does not count a million rows to show fifty."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`); beyond that the list
    says "10,000+" and pages on, without an exact total.

    A page is read in two steps: the page's ids from the filtered, ordered rows alone, then those rows
    with their joins (`select_related`). The planner never has to join before it limits."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    def _get_page(self, object_list, number, paginator):
        ids = list(object_list.values_list("pk", flat=True))
        rows = self.object_list.order_by().filter(pk__in=ids).in_bulk()
        return super()._get_page([rows[pk] for pk in ids], number, paginator)


class OnePassPaginator(CappedPaginator):
    """For a filter that reads every row anyway (a substring of long texts): the matching ids, in
    order, are read once (at most `cap` + 1) and give both the count and the page, so the rows
    are scanned once rather than twice."""

    @cached_property
    def _ids(self) -> list[int]:
        return list(self.object_list.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return len(self._ids)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self._ids[bottom : bottom + self.per_page]
        rows = self.object_list.order_by().filter(pk__in=ids).in_bulk()
        return Paginator._get_page(self, [rows[pk] for pk in ids], number, self)
