"""Pagination that does not count a million rows to show fifty."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`); beyond that the list
    says "10,000+" and pages on, without an exact total."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
