"""Writing ItemEvent rows: the audit trail, the timeline and the scoring feed in one table."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from duban.ledger.choices import EVENT_LABELS, Light
from duban.ledger.models import Item, ItemEvent
from duban.orgs.models import Unit


def build(
    item: Item,
    code: str,
    *,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    data: dict | None = None,
    unit: Unit | None = None,
    at=None,
) -> ItemEvent:
    """An unsaved event; it carries points when the ledger's scoring scheme prices its code."""
    at = at or timezone.now()
    price = item.ledger.scoring_scheme.get(code)
    return ItemEvent(
        item=item,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        code=code,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
        points=Decimal(str(price)) if price is not None else None,
        unit=unit or item.lead_unit,
        year=timezone.localtime(at).year,
    )


def record(item: Item, code: str, **kwargs) -> ItemEvent:
    """Append one event (see `build`)."""
    event = build(item, code, **kwargs)
    event.save()
    return event


def timeline(events) -> list[ItemEvent]:
    """Events newest first, each with its `label` and, for a light or progress change, `change`."""
    rows = list(events.select_related("actor", "item").order_by("-at", "-id"))
    for event in rows:
        event.label = EVENT_LABELS.get(event.code, event.code)
        if event.code == "ledger.item.light":
            event.change = f"{Light(event.data['before']).label} → {Light(event.data['after']).label}"
        elif "before" in event.data and "after" in event.data:
            event.change = f"{event.data['before']}% → {event.data['after']}%"
    return rows
