"""Registering items and moving them through the loop: every state change is `item_transition`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.bulk import insert_many, update_many
from duban.core.errors import TransitionError
from duban.core.numbering import next_value
from duban.core.workdays import add_working_days, moment, overrides_held
from duban.ledger import access, owners
from duban.ledger.choices import ACTIONS, ENDED_STATES, LIGHT_RANK, OPEN_STATES, Actor, ItemState, Light
from duban.ledger.models import Item, ItemCoUnit, ItemEvent, Ledger, LightRecord, ProgressReport
from duban.ledger.services import events, notify
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.lights import compute_light, period_of
from duban.orgs.models import LeaderPortfolio, Person, Unit, User

EDITABLE_FIELDS = (
    "title",
    "content",
    "basis_kind",
    "basis_document",
    "category",
    "handler",
    "urgency",
    "report_cadence",
    "rectification_type",
    "weight",
    "start_date",
)
DRAFT_ONLY_FIELDS = ("lead_unit", "deadline", "deadline_working_days")

ITEM_FIELDS = [field.name for field in Item._meta.concrete_fields]
ALWAYS_CHECKED = {"title", "external_id"}
RELATED_GIVEN = {"seq", "number", "ledger", "lead_unit", "parent", "leader", "handler", "created_by", "subject_type"}


def leaders_in_charge(units) -> dict[int, Person | None]:
    """For each unit, the district leader whose current portfolio covers it (the portfolio naming
    the nearest unit above it wins, then the portfolio's order); two queries for any number of units."""
    portfolios = list(LeaderPortfolio.objects.current().select_related("leader").prefetch_related("units"))
    found: dict[int, Person | None] = {}
    for unit in units:
        covering = []
        for portfolio in portfolios:
            depths = [u.depth for u in portfolio.units.all() if unit.is_within(u)]
            if depths:
                covering.append((-max(depths), portfolio.sort_order, portfolio.pk, portfolio.leader))
        found[unit.pk] = min(covering)[3] if covering else None
    return found


def leader_in_charge(unit: Unit) -> Person | None:
    """The district leader whose current portfolio covers the unit (nearest unit first)."""
    return leaders_in_charge([unit])[unit.pk]


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("ledger", "lead_unit").get(pk=item.pk)


def _display(value) -> str:
    return "" if value is None else str(value)


#
# Registering
#


@transaction.atomic
def item_create(
    *,
    actor: User | None,
    ledger: Ledger,
    title: str,
    lead_unit: Unit,
    at: dt.datetime | None = None,
    owner_rule: bool = False,
    **spec,
) -> Item:
    """Register one item (a draft); see `items_register`."""
    spec = {"title": title, "lead_unit": lead_unit, **spec}
    return items_register(actor=actor, ledger=ledger, specs=[spec], at=at, owner_rule=owner_rule)[0]


@transaction.atomic
def items_register(
    *, actor: User | None, ledger: Ledger, specs: list[dict], at: dt.datetime | None = None, owner_rule: bool = False
) -> list[Item]:
    """Register items (drafts) in one go: each is checked on its own, the block is numbered from the
    ledger's counter at once and written in bulk. A spec holds `title`, `lead_unit` and optionally
    `co_units` [(unit, part)], `parent`, `leader` (else the lead unit's leader in charge),
    `subject`, `external_id` (unique in the ledger) and the editable fields. A sub-item of an owned
    item is the owner's to add, unless `owner_rule` says the caller applies the owner's rule."""
    if actor is not None and not owner_rule and not access.acts_for_office(actor, ledger):
        raise LedgerPermissionError(_("Only the supervising office registers items in this ledger."))
    external_ids = [spec["external_id"] for spec in specs if spec.get("external_id")]
    taken = set(ledger.items.filter(external_id__in=external_ids).values_list("external_id", flat=True))
    leaders = leaders_in_charge({spec["lead_unit"].pk: spec["lead_unit"] for spec in specs}.values())
    parents: dict[int, Item] = {}
    items: list[Item] = []
    co_rows: list[tuple[int, Unit, str]] = []
    for spec in specs:
        spec = dict(spec)
        lead_unit, parent, leader = spec.pop("lead_unit"), spec.pop("parent", None), spec.pop("leader", None)
        external_id, subject = spec.pop("external_id", ""), spec.pop("subject", None)
        if not lead_unit.is_active:
            raise ValidationError({"lead_unit": _("A retired unit cannot be responsible for an item.")})
        if external_id and external_id in taken:
            raise ValidationError({"external_id": _("Another item of this ledger has the same external id.")})
        taken.add(external_id)
        if parent is not None:
            parent = parents.setdefault(parent.pk, _lock(parent))
            if parent.ledger_id != ledger.pk:
                raise ValidationError({"parent": _("A sub-item belongs to the same ledger as its parent.")})
            if parent.state in ENDED_STATES:
                raise ValidationError({"parent": _("Sub-items cannot be added to a closed or cancelled item.")})
            if not owner_rule:
                _check_sub_item(parent, subject)
        item = Item(
            ledger=ledger,
            title=spec.pop("title"),
            lead_unit=lead_unit,
            parent=parent,
            leader=leader or leaders[lead_unit.pk],
            leader_overridden=leader is not None,
            external_id=external_id,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            seq=0,
            number="-",
            **{k: v for k, v in spec.items() if k in EDITABLE_FIELDS + DRAFT_ONLY_FIELDS},
        )
        if subject is not None:
            item.subject = subject
        # Related objects are given as instances, so their existence needs no query per item.
        # Fields left at their defaults are valid by construction; validate only what the spec gave.
        given = spec.keys() | ALWAYS_CHECKED
        unchecked = [name for name in ITEM_FIELDS if name in RELATED_GIVEN or name not in given]
        item.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
        for unit, part in spec.get("co_units") or []:
            if unit.pk == lead_unit.pk:
                raise ValidationError({"co_units": _("The lead unit cannot also be a co-unit.")})
            co_rows.append((len(items), unit, part))
        items.append(item)
    if not items:
        return []
    first = next_value(f"ledger:{ledger.pk}", count=len(items))
    for offset, item in enumerate(items):
        item.seq = first + offset
        item.number = ledger.format_number(item.seq)
        item.refresh_search_tokens()
    insert_many(Item, items)
    insert_many(ItemCoUnit, [ItemCoUnit(item=items[i], unit=unit, part=part) for i, unit, part in co_rows])
    created = [
        events.build(item, "ledger.item.created", actor=actor, to_state=item.state, data={"number": item.number}, at=at)
        for item in items
    ]
    insert_many(ItemEvent, created)
    for parent in parents.values():
        recompute_progress(parent, actor=actor)
    return items


def _check_sub_item(parent: Item, subject) -> None:
    """A sub-item of an owned item is registered by its owner (about the same subject), or allowed
    by it."""
    found = owners.owned(parent)
    if found is None:
        return
    same = subject is not None and ContentType.objects.get_for_model(subject).pk == parent.subject_type_id
    if not (same and subject.pk == parent.subject_id):
        owner, parent_subject = found
        owner.check_sub_item(parent_subject, parent)


@transaction.atomic
def item_update(*, actor: User | None, item: Item, data: dict, owner_rule: bool = False) -> Item:
    """Change an item's details. Lead unit and deadline change only while it is a draft; after
    assignment the deadline moves only through an approved extension."""
    item = _lock(item)
    if actor is not None and not owner_rule and not access.acts_for_office(actor, item.ledger):
        raise LedgerPermissionError(_("Only the supervising office edits items."))
    if item.state in ENDED_STATES:
        raise ValidationError(_("A closed or cancelled item can no longer be edited."))
    allowed = EDITABLE_FIELDS + (DRAFT_ONLY_FIELDS if item.state == ItemState.DRAFT else ())
    refused = [name for name in DRAFT_ONLY_FIELDS if name in data and name not in allowed]
    if any(getattr(item, name) != data[name] for name in refused):
        raise ValidationError(_("After assignment the lead unit and deadline cannot be edited; request an extension."))
    changes = {}
    for name in allowed:
        if name in data and getattr(item, name) != data[name]:
            changes[name] = [_display(getattr(item, name)), _display(data[name])]
            setattr(item, name, data[name])
    if "leader" in data and data["leader"] != item.leader:
        changes["leader"] = [_display(item.leader), _display(data["leader"])]
        item.leader = data["leader"]
        item.leader_overridden = True
    if not changes:
        return item
    found = None if owner_rule else owners.owned(item)
    if found is not None:
        owner, subject = found
        owner.check_update(subject, item, changes)
    if "lead_unit" in changes and not item.leader_overridden:
        item.leader = leader_in_charge(item.lead_unit)
    item.full_clean()
    item.save()
    events.record(item, "ledger.item.updated", actor=actor, data={"changes": changes})
    if "weight" in changes and item.parent_id:
        recompute_progress(item.parent, actor=actor)
    return item


#
# The loop
#


def _check_action(item: Item, action: str, actor: User | None, reason: str, checked: bool = False) -> None:
    """The table's check of `action` on `item`; `checked`: who may act was checked by the caller."""

    def may(spec) -> bool:
        return actor is None or checked or access.can_perform(actor, item, spec.actor, action)

    def refusal(spec) -> str:
        if spec.actor == Actor.REVIEWER:
            return _("Review and close-out need a supervisor outside the responsible unit.")
        return _("You cannot do this on this item.")

    try:
        ACTIONS.check(item.state, action, may=may, refusal=refusal, reason=reason)
    except PermissionDenied as denied:
        raise LedgerPermissionError(*denied.args) from None


@dataclass
class _Step:
    """What applying an action to an item produced, besides the item's own fields."""

    data: dict = field(default_factory=dict)
    extra_events: list[str] = field(default_factory=list)
    recipients: list[Unit] = field(default_factory=list)
    report: ProgressReport | None = None


def _apply(
    item: Item, action: str, reason: str, actor, now, today, *, has_children: bool, deadline_for, co_units=None
) -> _Step:
    """Change the item's fields for `action` (already checked); the caller saves and records."""
    step = _Step(recipients=[item.lead_unit])
    spec = ACTIONS[action]
    if reason.strip():
        # An irreversible step asks for the verification opinion (核验意见) rather than a reason.
        step.data["opinion" if spec.confirm and not spec.needs_reason else "reason"] = reason.strip()
    if action == "assign":
        if item.deadline_working_days:
            item.deadline = deadline_for(item.deadline_working_days)
        if item.deadline is None:
            raise ValidationError({"deadline": _("Set a deadline before assigning the item.")})
        if item.deadline < today:
            raise ValidationError({"deadline": _("The deadline is already past.")})
        if not item.lead_unit.is_active:
            raise ValidationError({"lead_unit": _("A retired unit cannot be responsible for an item.")})
        item.effective_deadline = item.deadline
        item.assigned_at = now
        item.start_date = item.start_date or today
        item.acknowledge_due = deadline_for(item.ledger.acknowledge_working_days)
        step.data.update(number=item.number, deadline=item.deadline.isoformat())
        shares = co_units.get(item.pk, []) if co_units is not None else item.co_units.select_related("unit")
        step.recipients += [c.unit for c in shares]
    elif action == "acknowledge":
        item.acknowledged_at = now
        if item.acknowledge_due and today > item.acknowledge_due:
            step.extra_events.append("ledger.item.acknowledged_late")
    elif action == "submit":
        item.submitted_at = now
        if not has_children:
            item.progress = 100
        step.report = ProgressReport(
            item=item,
            unit=item.lead_unit,
            reported_on=today,
            percent=item.progress,
            text=reason.strip(),
            is_completion=True,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        step.recipients = []
    elif action == "accept":
        item.done_at = now
        item.finished_on = timezone.localtime(item.submitted_at).date() if item.submitted_at else today
        item.late_days = max(0, (item.finished_on - item.effective_deadline).days) if item.effective_deadline else 0
        step.extra_events.append("ledger.item.finished_late" if item.late_days else "ledger.item.finished_on_time")
        step.data["late_days"] = item.late_days
    elif action == "close":
        item.closed_at = now
        item.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    elif action == "reopen":
        item.done_at = item.closed_at = item.closed_by = item.finished_on = item.late_days = None
    elif action == "cancel":
        item.cancel_reason = reason.strip()
    elif action == "carry_over":
        item.late_days = max(0, (today - item.effective_deadline).days) if item.effective_deadline else 0
    item.state = spec.target
    item.light = _current_light(item, today)
    return step


def _deadlines(today: dt.date):
    """Working-day deadlines from `today`, computed once per distinct number of days."""
    cache: dict[int, dt.date] = {}

    def deadline_for(days: int) -> dt.date:
        if days not in cache:
            cache[days] = add_working_days(today, days)
        return cache[days]

    return deadline_for


def item_transition(
    *,
    actor: User | None,
    item: Item,
    action: str,
    reason: str = "",
    at: dt.datetime | None = None,
    owner_rule: bool = False,
) -> Item:
    """The one way an item changes state: checks the transition table and who may act, asks the
    subject's owner (`duban.ledger.owners`), locks the row, applies the action, writes the
    event(s), and notifies the units after commit. `owner_rule`: the call is the owning context's
    own rule, which has checked who may act (a campaign's verifier, say, who is not a ledger
    reviewer); the events still name the person."""
    return items_transition_many(actor=actor, items=[item], action=action, reason=reason, at=at, owner_rule=owner_rule)[
        0
    ]


TRANSITION_FIELDS = [
    "deadline", "effective_deadline", "assigned_at", "start_date", "acknowledge_due", "acknowledged_at",
    "submitted_at", "progress", "done_at", "finished_on", "late_days", "closed_at", "closed_by", "cancel_reason",
    "state", "light", "updated_at",
]  # fmt: skip


@transaction.atomic
def items_transition_many(
    *,
    actor: User | None,
    items: list[Item],
    action: str,
    reason: str = "",
    at: dt.datetime | None = None,
    owner_rule: bool = False,
) -> list[Item]:
    """`item_transition` for a block of items at one instant (a campaign office dispatching a day's
    problems): the same table, checks and field changes, written in bulk; one notice per unit
    (naming the item when there is one). Owned items go to their owners' rules first. Every item
    is checked before anything is written, so a refusal changes nothing."""
    if not items:
        return []
    spec = ACTIONS.get(action)
    if spec is not None and spec.actor == Actor.YEAR_END:
        raise TransitionError(_("Items are carried over by the office's year-end carry-over of their whole ledger."))
    if owner_rule:
        return _transition_block(actor, items, action, reason, at, checked=True)
    fresh = list(Item.objects.filter(pk__in=[item.pk for item in items]).order_by("pk"))
    for item in fresh:
        ACTIONS.check(item.state, action)
    left = [item for item in fresh if item.subject_type_id is None]
    for owner, owned, subjects in owners.by_owner(fresh):
        left += owner.take(action, owned, subjects, actor=actor, reason=reason, at=at)
    owned_ids = {item.pk for item in fresh} - {item.pk for item in left}
    left += [item for item in fresh if item.subject_type_id is not None and item.pk not in owned_ids]
    done = {item.pk: item for item in _transition_block(actor, left, action, reason, at)} if left else {}
    if owned_ids:
        done.update(Item.objects.select_related("ledger", "lead_unit").in_bulk(owned_ids))
    return [done[item.pk] for item in fresh]


@overrides_held()
def _transition_block(actor, items, action: str, reason: str, at, *, checked: bool = False) -> list[Item]:
    """Apply `action` to items the ledger itself moves: lock, check, change, write in bulk."""
    now, today = moment(at)
    locked = list(Item.objects.select_for_update().filter(pk__in=[item.pk for item in items]).order_by("pk"))
    # Most blocks share one ledger and a few units: read each once, not once per row.
    ledgers = Ledger.objects.in_bulk({item.ledger_id for item in locked})
    units = Unit.objects.in_bulk({item.lead_unit_id for item in locked})
    for item in locked:
        item.ledger, item.lead_unit = ledgers[item.ledger_id], units[item.lead_unit_id]
    for item in locked:
        _check_action(item, action, actor, reason, checked)
    spec = ACTIONS[action]
    with_children = set()
    if action == "submit":
        with_children = set(
            Item.objects.filter(parent__in=locked)
            .exclude(state=ItemState.CANCELLED)
            .values_list("parent_id", flat=True)
        )
    deadline_for = _deadlines(today)
    co_units: dict[int, list[ItemCoUnit]] = {}
    if action == "assign":
        for share in ItemCoUnit.objects.filter(item__in=locked).select_related("unit"):
            co_units.setdefault(share.item_id, []).append(share)
    rows, reports, recipients = [], [], {}
    for item in locked:
        previous = item.state
        step = _apply(
            item,
            action,
            reason,
            actor,
            now,
            today,
            has_children=item.pk in with_children,
            deadline_for=deadline_for,
            co_units=co_units,
        )
        item.updated_at = now
        rows.append(events.build(item, spec.event, actor=actor, from_state=previous,
                                 to_state=item.state, data=step.data, at=now))  # fmt: skip
        rows += [events.build(item, code, actor=actor, data=step.data, at=now) for code in step.extra_events]
        if step.report is not None:
            reports.append(step.report)
        for unit in step.recipients:
            recipients.setdefault(unit.pk, [unit, 0])[1] += 1
    update_many(Item, locked, TRANSITION_FIELDS)
    insert_many(ProgressReport, reports)
    insert_many(ItemEvent, rows)
    _record_lights(locked, today)
    for parent_id in (
        {item.parent_id for item in locked if item.parent_id} if action in {"submit", "cancel", "reopen"} else ()
    ):
        recompute_progress(Item(pk=parent_id), actor=actor)
    single = locked[0] if len(locked) == 1 else None
    users = notify.users_of_units([unit for unit, _count in recipients.values()])
    for unit, count in recipients.values():
        if single is not None:
            text = _("%(number)s %(title)s: %(event)s") % {
                "number": single.number,
                "title": single.title,
                "event": spec.label,
            }
        else:
            text = _("%(n)s items: %(event)s") % {"n": count, "event": spec.label}
        notify.after_commit(users[unit.pk], single, f"ledger.{action}", text)
    return locked


#
# Progress
#


@transaction.atomic
def item_report_progress(
    *,
    actor: User | None,
    item: Item,
    percent: int,
    text: str,
    at: dt.datetime | None = None,
) -> ProgressReport:
    """A progress report by the lead unit. The first report after acknowledgement starts the work."""
    item = _lock(item)
    at, reported_on = moment(at)
    if actor is not None and not access.acts_for_unit(actor, item):
        raise LedgerPermissionError(_("Only the responsible unit reports progress on this item."))
    if item.state not in {ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED}:
        raise TransitionError(_("Progress can be reported once the item is acknowledged and until it is submitted."))
    if not 0 <= int(percent) <= 100:
        raise ValidationError({"percent": _("Progress is a percentage from 0 to 100.")})
    if not text.strip():
        raise ValidationError({"text": _("Describe the progress.")})
    if item.children.exclude(state=ItemState.CANCELLED).exists():
        raise ValidationError(_("This item's progress is computed from its sub-items; report on those."))
    if item.state != ItemState.IN_PROGRESS:
        item_transition(actor=actor, item=item, action="start", at=at)
        item.refresh_from_db()
    report = ProgressReport.objects.create(
        item=item,
        unit=item.lead_unit,
        reported_on=reported_on,
        percent=percent,
        text=text.strip(),
        created_by=actor,
    )
    before = item.progress
    item.progress = int(percent)
    item.light = _current_light(item, reported_on)
    item.save(update_fields=["progress", "light", "updated_at"])
    events.record(item, "ledger.item.progress", actor=actor, data={"before": before, "after": item.progress}, at=at)
    _record_light(item, reported_on)
    if item.parent_id:
        recompute_progress(item.parent, actor=actor)
    return report


def recompute_progress(item: Item, *, actor: User | None = None) -> None:
    """Roll progress up from the sub-items by normalised weights (missing progress counts as 0,
    cancelled sub-items drop out), then on up the tree."""
    item = _lock(item)
    children = list(item.children.exclude(state=ItemState.CANCELLED).values_list("progress", "weight"))
    if not children:
        return
    total_weight = sum((weight for _, weight in children), Decimal(0))
    weighted = sum(Decimal(p or 0) * w for p, w in children) / total_weight
    value = int(weighted.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if value != item.progress:
        before = item.progress
        item.progress = value
        item.save(update_fields=["progress", "updated_at"])
        events.record(item, "ledger.item.rolled_up", actor=actor, data={"before": before, "after": value})
    if item.parent_id:
        recompute_progress(item.parent, actor=actor)


#
# Co-units
#


@transaction.atomic
def co_unit_acknowledge(*, actor: User | None, item: Item, unit: Unit) -> ItemCoUnit:
    item = _lock(item)
    share = ItemCoUnit.objects.select_for_update().filter(item=item, unit=unit).first()
    if share is None:
        raise ValidationError(_("This unit is not a co-unit of the item."))
    if actor is not None and not access.acts_for_co_unit(actor, unit):
        raise LedgerPermissionError(_("Only the co-unit itself acknowledges its part."))
    if item.state not in OPEN_STATES:
        raise TransitionError(_("Only open items can be acknowledged."))
    if share.acknowledged_at is not None:
        raise TransitionError(_("This co-unit has already acknowledged."))
    share.acknowledged_at = timezone.now()
    share.save(update_fields=["acknowledged_at", "updated_at"])
    events.record(item, "ledger.co_unit.acknowledged", actor=actor, unit=unit, data={"unit": unit.name})
    return share


@transaction.atomic
def co_unit_report(*, actor: User | None, item: Item, unit: Unit, percent: int, text: str) -> ProgressReport:
    item = _lock(item)
    share = ItemCoUnit.objects.select_for_update().filter(item=item, unit=unit).first()
    if share is None:
        raise ValidationError(_("This unit is not a co-unit of the item."))
    if actor is not None and not access.acts_for_co_unit(actor, unit):
        raise LedgerPermissionError(_("Only the co-unit itself reports on its part."))
    if share.acknowledged_at is None:
        raise TransitionError(_("Acknowledge the item before reporting on it."))
    if item.state not in OPEN_STATES:
        raise TransitionError(_("Only open items take reports."))
    if not 0 <= int(percent) <= 100:
        raise ValidationError({"percent": _("Progress is a percentage from 0 to 100.")})
    if not text.strip():
        raise ValidationError({"text": _("Describe the progress.")})
    share.progress = int(percent)
    share.save(update_fields=["progress", "updated_at"])
    report = ProgressReport.objects.create(item=item, unit=unit, percent=percent, text=text.strip(), created_by=actor)
    events.record(item, "ledger.co_unit.progress", actor=actor, unit=unit, data={"unit": unit.name, "after": percent})
    return report


#
# Lights
#


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
