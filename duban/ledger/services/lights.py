"""The light (亮灯) of an item: a pure function of its dates, progress and the ledger's policy,
stored on the item and remembered per reporting period (`LightRecord`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.core.workdays import working_days_between
from duban.ledger.choices import LIGHT_RANK, OPEN_STATES, ItemState, Light
from duban.ledger.models import Item, LightRecord
from duban.ledger.services import events


def compute_light(
    *,
    state: str,
    deadline: dt.date | None,
    start: dt.date | None,
    progress: int,
    submitted_on: dt.date | None,
    policy: dict,
    today: dt.date,
) -> str:
    """Deadline mode: yellow within N working days of the deadline, red past it. Pro-rata mode:
    yellow when progress lags k × the elapsed share of the time, red past the deadline."""
    if state not in OPEN_STATES:
        return Light.NONE
    if deadline is None:
        return Light.GREEN
    if state == ItemState.SUBMITTED:
        return Light.RED if submitted_on and submitted_on > deadline else Light.GREEN
    if today > deadline:
        return Light.RED
    if policy.get("mode") == "pro_rata":
        if start is None or start >= deadline:
            return Light.GREEN
        elapsed = min(1.0, max(0.0, (today - start).days / (deadline - start).days))
        return Light.YELLOW if progress < float(policy.get("k", 0.7)) * elapsed * 100 else Light.GREEN
    if working_days_between(today, deadline) <= int(policy.get("yellow_working_days", 5)):
        return Light.YELLOW
    return Light.GREEN


def period_of(day: dt.date, policy: dict) -> str:
    """The reporting period a day belongs to: '2024-06' by month, '2024-W23' by week."""
    if policy.get("period") == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day:%Y-%m}"


def _current_light(item: Item, today: dt.date) -> str:
    return compute_light(
        state=item.state,
        deadline=item.effective_deadline,
        start=item.start_date,
        progress=item.progress,
        submitted_on=timezone.localtime(item.submitted_at).date() if item.submitted_at else None,
        policy=item.ledger.light_policy,
        today=today,
    )


def _record_lights(items: list[Item], today: dt.date) -> None:
    """`_record_light` for a block of items (one read, bulk writes)."""
    lit = [item for item in items if item.light != Light.NONE]
    if not lit:
        return
    period = period_of(today, lit[0].ledger.light_policy)
    if any(period_of(today, item.ledger.light_policy) != period for item in lit):
        for item in lit:
            _record_light(item, today)
        return
    existing = {r.item_id: r for r in LightRecord.objects.filter(item__in=lit, period=period)}
    new, changed = [], []
    for item in lit:
        record = existing.get(item.pk)
        if record is None:
            new.append(LightRecord(item=item, period=period, light=item.light, last_light=item.light))
            continue
        worst = item.light if LIGHT_RANK[item.light] > LIGHT_RANK[record.light] else record.light
        if (worst, item.light) != (record.light, record.last_light):
            record.light, record.last_light = worst, item.light
            changed.append(record)
    LightRecord.objects.bulk_create(new, batch_size=1000)
    for record in changed:
        record.save(update_fields=["light", "last_light", "updated_at"])


def _record_light(item: Item, today: dt.date) -> None:
    """Keep the worst light of the reporting period and the latest one."""
    if item.light == Light.NONE:
        return
    period = period_of(today, item.ledger.light_policy)
    record = LightRecord.objects.filter(item=item, period=period).first()
    if record is None:
        LightRecord.objects.create(item=item, period=period, light=item.light, last_light=item.light)
        return
    worst = item.light if LIGHT_RANK[item.light] > LIGHT_RANK[record.light] else record.light
    if (worst, item.light) != (record.light, record.last_light):
        record.light, record.last_light = worst, item.light
        record.save(update_fields=["light", "last_light", "updated_at"])


def item_refresh_light(item: Item, today: dt.date, at: dt.datetime | None = None) -> bool:
    """Recompute and store an item's light (the caller holds the row lock); True when it changed."""
    light = _current_light(item, today)
    changed = light != item.light
    if changed:
        events.record(item, "ledger.item.light", data={"before": item.light, "after": light}, at=at)
        item.light = light
        Item.objects.filter(pk=item.pk).update(light=light)
    _record_light(item, today)
    return changed
