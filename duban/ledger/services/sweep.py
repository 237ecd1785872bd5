"""The sweep: lights and automatic escalation for every open item, once per day.

Idempotent (lights are recomputed, and each automatic notice records the rule and what it
answers and is issued at most once: `Notice.auto_key`), safe when two run at once (items are
claimed with SKIP LOCKED on PostgreSQL; SQLite serialises writers), and resumable (work commits
batch by batch; what a killed run did is not done again, what it left the next run finds).

Each run is recorded as a `SweepRun`. A run is skipped when today's sweep has finished and no item
has entered an open state since (nothing for it to do); it never writes to items it leaves alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, Concat, Mod
from django.utils import timezone

from duban.core.workdays import add_working_days, on_day, working_days_between
from duban.ledger import counts
from duban.ledger.choices import OPEN_STATES, ItemState, Light, NoticeLevel
from duban.ledger.models import Item, ItemEvent, Ledger, LightRecord, Notice, SweepPart, SweepRun
from duban.ledger.services.lights import item_refresh_light, period_of
from duban.ledger.services.notices import _issue
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
        notices.append(
            _issue(item=item, level=rule["level"], reason=reason, auto_rule=rule["key"], auto_key=key, at=at)
        )
        existing.add(key)
        issued += 1
    return issued


def _light_expression(policy: dict, today: dt.date):
    """The deadline-mode light as SQL, to find the items whose light changes today without
    reading every item. (Python's `compute_light` stays the authority for each item found.)"""
    yellow_before = add_working_days(today, int(policy.get("yellow_working_days", 5)) + 1)
    return Case(
        When(effective_deadline__isnull=True, then=Value(Light.GREEN)),
        When(state=ItemState.SUBMITTED, submitted_at__date__gt=F("effective_deadline"), then=Value(Light.RED)),
        When(state=ItemState.SUBMITTED, then=Value(Light.GREEN)),
        When(effective_deadline__lt=today, then=Value(Light.RED)),
        When(effective_deadline__lt=yellow_before, then=Value(Light.YELLOW)),
        default=Value(Light.GREEN),
        output_field=CharField(),
    )


def _key_missing(rule_key: str):
    """No notice of this rule yet for the item's current deadline (the key the rule would use)."""
    key = Concat(Value(f"{rule_key}:"), Cast(OuterRef("effective_deadline"), output_field=CharField()))
    return ~Exists(Notice.objects.filter(item=OuterRef("pk"), auto_key=key))


def _escalation_candidates(ledger: Ledger, today: dt.date):
    """Items some escalation rule may act on today; `escalate` decides for each."""
    condition = Q(pk__in=[])
    for rule in ledger.escalation_policy:
        when, key = rule.get("when"), rule.get("key", "")
        if when == "before_deadline":
            until = add_working_days(today, int(rule.get("working_days", 3)) + 1)
            condition |= Q(effective_deadline__gte=today, effective_deadline__lt=until) & _key_missing(key)
        elif when == "overdue":
            condition |= Q(effective_deadline__lt=today) & _key_missing(key)
        elif when == "unanswered":
            issued_by = on_day(add_working_days(today, -int(rule.get("working_days", 5))), hour=23)
            waiting = Notice.objects.filter(
                item=OuterRef("pk"), level=rule.get("after"), responded_at__isnull=True, created_at__lte=issued_by
            )
            condition |= Exists(waiting)
        elif when == "reds_in_year":
            reds = Notice.objects.filter(item=OuterRef("pk"), level=NoticeLevel.RED, created_at__gte=_year_start(today))
            condition |= Exists(reds)
    return ledger.items.filter(state__in=OPEN_STATES).exclude(state=ItemState.SUBMITTED).filter(condition)


def _record_new_period(ledger: Ledger, today: dt.date) -> None:
    """Open the reporting period: one statement gives every lit item its record, once per period
    (items assigned or changing light later in the period get theirs from `item_refresh_light`)."""
    period = period_of(today, ledger.light_policy)
    if LightRecord.objects.filter(item__ledger=ledger, period=period).exists():
        return
    item_table, record_table = Item._meta.db_table, LightRecord._meta.db_table
    states = sorted(OPEN_STATES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {record_table} (item_id, period, light, last_light, updated_at) "  # noqa: S608 - table names are ours
            f"SELECT i.id, %s, i.light, i.light, %s FROM {item_table} i "
            f"WHERE i.ledger_id = %s AND i.light <> %s AND i.state IN ({', '.join(['%s'] * len(states))}) "
            f"AND NOT EXISTS (SELECT 1 FROM {record_table} r WHERE r.item_id = i.id AND r.period = %s)",
            [period, timezone.now(), ledger.pk, Light.NONE, *states, period],
        )


def _in_batches(queryset, batch_size: int, work) -> int:
    """Claim rows of `queryset` batch by batch (SKIP LOCKED, each batch its own transaction) and
    run `work(item)` on each; return how many were done."""
    done, last_id = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                queryset.filter(pk__gt=last_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("ledger", "lead_unit")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return done
            for item in batch:
                work(item)
            done += len(batch)
            last_id = batch[-1].pk


def sweep_run(*, today: dt.date | None = None, batch_size: int = 500, force: bool = False) -> SweepResult:
    """Lights and escalation for every open item, in this process. Set-based where it can be: the
    database finds the items whose light changes or that a rule may act on, and only those are read
    one by one. (The workers split the same run into parts: `sweep_begin`, `sweep_part`.)"""
    run = sweep_begin(today=today, force=force)
    if run is None:
        return SweepResult()
    sweep_part(run, 0, 1, batch_size=batch_size)
    run.refresh_from_db()
    return SweepResult(items=run.items, lights_changed=run.lights_changed, notices=run.notices)


def sweep_begin(*, today: dt.date | None = None, force: bool = False, parts: int = 1) -> SweepRun | None:
    """A new run of the sweep in `parts` parts, or None when today's has finished and nothing changed since."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    if not force and _swept_already(today):
        return None
    return SweepRun.objects.create(day=today, started_at=now, parts=parts)


def sweep_part(run: SweepRun, part: int, parts: int, *, batch_size: int = 500) -> bool:
    """One part of a run (the open items whose id gives `part` modulo `parts`): their lights, then
    the notices the escalation policy calls for. Each part is done once (a task delivered twice
    finds it claimed); the last part to finish finishes the run. A part whose worker was killed
    stays unfinished, and with it the run: the next run does the work again (idempotently).
    Whether this call did the part."""
    try:  # claimed before the work: a second delivery of the same part, even at once, leaves it
        with transaction.atomic():
            claimed = SweepPart.objects.create(run=run, part=part)
    except IntegrityError:
        return False
    today = run.day
    now = timezone.now()
    # A sweep "as of" another day (catching up, the demo's history) dates its events that morning.
    at = now if today == timezone.localdate(now) else on_day(today, hour=8)
    result = SweepResult()
    open_items = Item.objects.filter(state__in=OPEN_STATES)
    for ledger in Ledger.objects.filter(pk__in=open_items.values("ledger_id")):
        items = _share(ledger.items.filter(state__in=OPEN_STATES), part, parts)
        if ledger.light_policy.get("mode") == "pro_rata":
            changing = items  # progress against elapsed time: every item may move
        else:
            changing = items.annotate(expected=_light_expression(ledger.light_policy, today)).exclude(
                light=F("expected")
            )

        def light(item):
            result.lights_changed += int(item_refresh_light(item, today, at))

        def escalation(item):
            result.notices += escalate(item, today, at)

        _in_batches(changing, batch_size, light)
        _in_batches(_share(_escalation_candidates(ledger, today), part, parts), batch_size, escalation)
    SweepPart.objects.filter(pk=claimed.pk).update(
        finished_at=timezone.now(), lights_changed=result.lights_changed, notices=result.notices
    )
    if SweepPart.objects.filter(run=run, finished_at__isnull=False).count() >= run.parts:
        sweep_finish(run)
    return True


def _share(items, part: int, parts: int):
    return items if parts == 1 else items.alias(share=Mod("id", parts)).filter(share=part)


def sweep_finish(run: SweepRun) -> None:
    """After every part: each ledger's new reporting period, the counters folded, the run's figures.
    Safe to run twice (the last two parts finishing at once)."""
    open_items = Item.objects.filter(state__in=OPEN_STATES)
    for ledger in Ledger.objects.filter(pk__in=open_items.values("ledger_id")):
        _record_new_period(ledger, run.day)
    counts.compact()
    done = SweepPart.objects.filter(run=run).aggregate(lights=Sum("lights_changed"), notices=Sum("notices"))
    SweepRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), items=open_items.count(), lights_changed=done["lights"] or 0,
        notices=done["notices"] or 0,
    )  # fmt: skip


def _swept_already(today: dt.date) -> bool:
    """Today's sweep finished, and no item was assigned, returned or reopened since."""
    finished = SweepRun.objects.filter(day=today, finished_at__isnull=False).order_by("-finished_at").first()
    if finished is None:
        return False
    return not ItemEvent.objects.filter(at__gte=finished.finished_at, to_state__in=OPEN_STATES).exists()
