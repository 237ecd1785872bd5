"""The sweep: lights and automatic escalation for every open item, once per day.

Idempotent (each automatic notice records the rule and what it answers, and is issued at most
once: `Notice.auto_key`), safe when two run at once (items are claimed with SKIP LOCKED on
PostgreSQL; SQLite serialises writers), and resumable (items are marked swept batch by batch,
so a killed run leaves whole batches done or untouched and the next run carries on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from duban.core.workdays import on_day, working_days_between
from duban.ledger.choices import ItemState, NoticeLevel
from duban.ledger.models import Item, Notice
from duban.ledger.services.items import item_refresh_light
from duban.ledger.services.notices import issue
from duban.orgs.models import Unit


@dataclass
class SweepResult:
    items: int = 0
    lights_changed: int = 0
    notices: int = 0


def _year_start(today: dt.date) -> dt.datetime:
    return on_day(dt.date(today.year, 1, 1), hour=0)


def _due(rule: dict, item: Item, notices: list[Notice], today: dt.date) -> tuple[str, str] | None:
    """(auto_key, reason) when `rule` calls for a notice on `item` today, else None. `notices` are
    the item's notices, oldest first, so that most rules need no query of their own."""
    deadline = item.effective_deadline
    when = rule.get("when")
    if when == "before_deadline" and deadline and today <= deadline:
        days = int(rule.get("working_days", 3))
        if working_days_between(today, deadline) <= days:
            return f"{rule['key']}:{deadline}", f"距办理期限（{deadline}）不足{days}个工作日，请抓紧办理。"
    elif when == "overdue" and deadline and today > deadline:
        return f"{rule['key']}:{deadline}", f"已超过办理期限（{deadline}），尚未办结。"
    elif when == "unanswered":
        waiting = [n for n in notices if n.level == rule["after"] and n.responded_at is None]
        days = int(rule.get("working_days", 5))
        if waiting and working_days_between(timezone.localtime(waiting[-1].created_at).date(), today) >= days:
            prior = waiting[-1]
            return f"{rule['key']}:{prior.pk}", f"{prior.number}发出后{days}个工作日内未回复。"
    elif when == "reds_in_year" and any(n.level == NoticeLevel.RED for n in notices):
        threshold = int(rule.get("count", 3))
        Unit.objects.select_for_update().filter(pk=item.lead_unit_id).first()  # one interview per threshold
        reds = Notice.objects.filter(
            recipient_unit=item.lead_unit_id, level=NoticeLevel.RED, created_at__gte=_year_start(today)
        ).count()
        if reds >= threshold:
            key = f"{rule['key']}:{item.lead_unit_id}:{today.year}:{reds // threshold}"
            if not Notice.objects.filter(recipient_unit=item.lead_unit_id, auto_key=key).exists():
                return key, f"本年度已收到{reds}份红色督办单（督查令），约谈单位主要负责人。"
    return None


def escalate(item: Item, today: dt.date, at: dt.datetime | None = None) -> int:
    """Issue the notices the ledger's escalation policy calls for; the caller holds the row lock."""
    if item.state == ItemState.SUBMITTED:
        return 0
    notices = list(item.notices.order_by("created_at", "id"))
    existing = {n.auto_key for n in notices if n.auto_key}
    issued = 0
    for rule in item.ledger.escalation_policy:
        due = _due(rule, item, notices, today)
        if due is None or due[0] in existing:
            continue
        key, reason = due
        notices.append(issue(item=item, level=rule["level"], reason=reason, auto_rule=rule["key"], auto_key=key, at=at))
        existing.add(key)
        issued += 1
    return issued


def sweep_run(*, today: dt.date | None = None, batch_size: int = 200, force: bool = False) -> SweepResult:
    """Sweep every open item not yet swept today (every open item with `force`)."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    # A sweep "as of" another day (catching up, the demo's history) dates its events that morning.
    at = now if today == timezone.localdate(now) else on_day(today, hour=8)
    result = SweepResult()
    last_id = 0
    while True:
        with transaction.atomic():
            candidates = Item.objects.open() if force else Item.objects.due_for_sweep(today)
            batch = list(
                candidates.filter(pk__gt=last_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("ledger", "lead_unit")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return result
            for item in batch:
                result.items += 1
                result.lights_changed += int(item_refresh_light(item, today, at))
                result.notices += escalate(item, today, at)
            Item.objects.filter(pk__in=[item.pk for item in batch]).update(last_swept_on=today)
            last_id = batch[-1].pk
