"""Moving items through the loop: every state change is `item_transition`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.bulk import insert_many, update_many
from duban.core.errors import TransitionError
from duban.core.workdays import add_working_days, moment, overrides_held
from duban.ledger import access, owners
from duban.ledger.choices import ACTIONS, Actor, ItemState
from duban.ledger.models import Item, ItemCoUnit, ItemEvent, Ledger, ProgressReport
from duban.ledger.services import events, notify
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import recompute_progress
from duban.ledger.services.lights import _current_light, _record_lights
from duban.orgs.models import Unit, User


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


def item_check(*, actor: User | None, item: Item, action: str) -> None:
    """Whether `actor` may take `action` on `item` now, refused as `item_transition` would refuse it
    (TransitionError, LedgerPermissionError); changes nothing."""
    _check_action(item, action, actor, reason=None)


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
        step.recipients = []  # the unit's own step: nobody else waits on it
        item.acknowledged_at = now
        if item.acknowledge_due and today > item.acknowledge_due:
            step.extra_events.append("ledger.item.acknowledged_late")
    elif action == "start":
        step.recipients = []
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
    elif action in ("record_done", "record_submitted"):
        # As the office's ledger recorded it: assigned, worked on and finished before the import,
        # when exactly is not known, so no on-time or late event counts towards any score.
        if item.deadline_working_days and item.deadline is None:
            item.deadline = deadline_for(item.deadline_working_days)
        item.effective_deadline = item.deadline
        item.assigned_at = item.submitted_at = now
        item.start_date = item.start_date or today
        if not has_children:
            item.progress = 100
        step.report = ProgressReport(
            item=item,
            unit=item.lead_unit,
            reported_on=today,
            percent=item.progress,
            text=reason.strip() or str(spec.label),
            is_completion=True,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        step.recipients = []
        if action == "record_done":
            item.done_at = now
            item.finished_on = today
            item.late_days = 0
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
    if spec is not None and spec.actor == Actor.IMPORT:
        raise TransitionError(_("Only the import of the office's own ledger records an item as done."))
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
def _transition_block(
    actor, items, action: str, reason: str, at, *, checked: bool = False, reasons: dict[int, str] | None = None
) -> list[Item]:
    """Apply `action` to items the ledger itself moves: lock, check, change, write in bulk.
    `reasons` gives some items their own reason (an imported row's own progress text)."""
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
            reasons.get(item.pk, reason) if reasons else reason,
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
            text, params = (
                gettext_lazy("%(number)s %(title)s: %(event)s"),
                {
                    "number": single.number,
                    "title": single.title,
                    "event": spec.label,
                },
            )
        else:
            text, params = gettext_lazy("%(n)s items: %(event)s"), {"n": count, "event": spec.label}
        notify.after_commit(users[unit.pk], single, f"ledger.{action}", text, params=params, actor=actor)
    return locked


def items_record_imported(
    *, actor: User | None, items: list[Item], action: str, texts: dict[int, str] | None = None
) -> list[Item]:
    """The import's own moves (`record_done`, `record_submitted`) for draft items it has just
    registered from the office's ledger (the import has checked that the office imports);
    `texts`: an item's progress text from the ledger, for its completion report."""
    if not items:
        return []
    if ACTIONS[action].actor != Actor.IMPORT:
        raise TransitionError(_("“%(action)s” is not an import's step.") % {"action": action})
    return _transition_block(actor, items, action, "", None, checked=True, reasons=texts)
