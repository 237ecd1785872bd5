"""The scoring feed: the points each unit's ledger events carry, read by appraisals."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from duban.ledger.models import ItemEvent


def scoring_feed(*, year: int, kind: str | None = None, sign: int = 0, excluding_items=()) -> dict[int, Decimal]:
    """Points per unit for the events of `year`: of ledgers of `kind` (all kinds when None), only
    deductions (`sign=-1`) or only credits (`sign=1`) when asked, leaving out the events of
    `excluding_items` (an exempted setback, say)."""
    events = ItemEvent.objects.scored().filter(year=year, unit__isnull=False)
    if kind is not None:
        events = events.filter(item__ledger__kind=kind)
    if sign < 0:
        events = events.filter(points__lt=0)
    elif sign > 0:
        events = events.filter(points__gt=0)
    if excluding_items:
        events = events.exclude(item_id__in=excluding_items)
    return dict(events.order_by().values("unit_id").annotate(total=Sum("points")).values_list("unit_id", "total"))
