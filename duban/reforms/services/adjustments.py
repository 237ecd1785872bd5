"""Deepening a reform (改革深化): adjustments to its goals, plan, expected results or deadline,
asked for and then approved or rejected."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.ledger.choices import ENDED_STATES
from duban.ledger.models import Item
from duban.ledger.services import extension_decide, extension_request, item_update
from duban.orgs.models import User
from duban.reforms.access import check_manager
from duban.reforms.choices import ADJUSTMENT_MOVES, AdjustmentState
from duban.reforms.models import ADJUSTABLE_FIELDS, Reform, ReformAdjustment


@transaction.atomic
def adjustment_request(
    *, actor: User | None, reform: Reform, reason: str, changes: dict, at: dt.datetime | None = None
) -> ReformAdjustment:
    """Ask to change goals, plan, expected results or deadline; nothing changes until approved."""
    check_manager(actor)
    reform = Reform.objects.select_for_update().get(pk=reform.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    unknown = set(changes) - set(ADJUSTABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Only goals, plan, expected results and deadline are adjusted."))
    before_after = {
        name: [_plain(getattr(reform, name)), _plain(value)]
        for name, value in changes.items()
        if value not in (None, "") and value != getattr(reform, name)
    }
    if not before_after:
        raise ValidationError(_("The adjustment changes nothing."))
    if "deadline" in before_after:
        _check_new_deadline(reform, changes["deadline"], at)
    adjustment = ReformAdjustment(
        reform=reform,
        reason=reason.strip(),
        changes=before_after,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if at is not None:
        adjustment.created_at = at
    adjustment.full_clean()
    save_with_history(adjustment, actor=actor, reason="reforms.adjustment.requested")
    return adjustment


@transaction.atomic
def adjustment_decide(
    *, actor: User | None, adjustment: ReformAdjustment, approve: bool, note: str = "", at: dt.datetime | None = None
) -> ReformAdjustment:
    """Approve (apply the changes; a new deadline moves the reform's item by an approved extension)
    or reject. Whoever asked cannot decide."""
    check_manager(actor)
    at, _today = moment(at)
    adjustment = ReformAdjustment.objects.select_for_update(of=("self",)).select_related("reform").get(pk=adjustment.pk)
    target = AdjustmentState.APPROVED if approve else AdjustmentState.REJECTED
    ADJUSTMENT_MOVES.check_target(adjustment.state, target)
    if actor is not None and adjustment.requested_by_id == actor.pk:
        raise ValidationError(_("An adjustment is approved by someone other than who asked for it."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the adjustment is rejected.")})
    adjustment.state = target
    adjustment.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    adjustment.decided_at = at
    adjustment.decision_note = note.strip()
    save_with_history(adjustment, actor=actor, reason=f"reforms.adjustment.{target}")
    if approve:
        reform = Reform.objects.select_for_update().get(pk=adjustment.reform_id)
        for name, (_before, after) in adjustment.changes.items():
            setattr(reform, name, dt.date.fromisoformat(after) if name == "deadline" else after)
        reform.full_clean()
        save_with_history(reform, actor=actor, reason="reforms.reform.adjusted")
        root = reform.item
        if "deadline" in adjustment.changes and root:
            _move_item_deadline(actor, reform, root, adjustment, at)
        if "goals" in adjustment.changes and root and root.state not in ENDED_STATES:
            item_update(actor=actor, item=root, data={"content": reform.goals}, owner_rule=True)
    return adjustment


def _check_new_deadline(reform: Reform, deadline: dt.date, at: dt.datetime) -> None:
    """What the ledger will require of the extension, checked when the adjustment is asked for:
    a later date, asked before the current deadline passes, on an open item."""
    item = reform.item
    if item is None or item.state == "draft":
        return
    if item.state in ENDED_STATES or item.state == "submitted":
        raise ValidationError(
            {"deadline": _("The reform's item is closed or under review; its deadline no longer moves.")}
        )
    current = item.effective_deadline
    if current and deadline <= current:
        raise ValidationError(
            {"deadline": _("A new deadline comes after the current one (%(date)s).") % {"date": current}}
        )
    if current and timezone.localdate(at) > current:
        raise ValidationError({"deadline": _("The deadline has passed; it can no longer be extended.")})


def _move_item_deadline(actor, reform: Reform, item: Item, adjustment: ReformAdjustment, at: dt.datetime) -> None:
    """The ledger moves an assigned item's deadline only by an approved extension: the adjustment
    is that extension, asked (by whoever asked for the adjustment) and granted (by whoever approved
    it) in the same step, so the item's history shows both."""
    if item.state == "draft":
        item_update(actor=actor, item=item, data={"deadline": reform.deadline}, owner_rule=True)
        return
    request = extension_request(
        actor=adjustment.requested_by,
        item=item,
        new_deadline=reform.deadline,
        reason=f"改革深化：{adjustment.reason}",
        at=at,
        owner_rule=True,
    )
    extension_decide(
        actor=actor, request=request, approve=True, note=_("Reform adjustment approved."), at=at, owner_rule=True
    )


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value
