"""延期申请: the responsible unit asks before the deadline; a supervisor outside it decides."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.workdays import moment
from duban.ledger import access, owners
from duban.ledger.choices import EXTENSION_MOVES, ExtensionState, ItemState
from duban.ledger.models import ExtensionRequest, Item
from duban.ledger.services import events, notify
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import _lock
from duban.ledger.services.lights import item_refresh_light
from duban.orgs.models import User

REQUESTABLE = {ItemState.ASSIGNED, ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED}


@transaction.atomic
def extension_request(
    *,
    actor: User | None,
    item: Item,
    new_deadline: dt.date,
    reason: str,
    at: dt.datetime | None = None,
    owner_rule: bool = False,
) -> ExtensionRequest:
    """Ask for a later deadline. `owner_rule`: the subject's owner asks as part of its own rule (a
    reform's approved adjustment), having checked who may; the person is recorded all the same."""
    item = _lock(item)
    at, today = moment(at)
    if actor is not None and not owner_rule and not access.acts_for_unit(actor, item):
        raise LedgerPermissionError(_("Only the responsible unit asks for an extension."))
    if item.state not in REQUESTABLE:
        raise ValidationError(_("An extension can only be asked for an open item that is not under review."))
    if item.effective_deadline is None or today > item.effective_deadline:
        raise ValidationError(_("An extension must be asked before the deadline passes."))
    if new_deadline <= item.effective_deadline:
        raise ValidationError({"new_deadline": _("The new deadline must be later than the current one.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    found = None if owner_rule else owners.owned(item)
    if found is not None:
        owner, subject = found
        owner.check_extension(subject, item, new_deadline)
    request = ExtensionRequest(
        item=item,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason.strip(),
        old_deadline=item.effective_deadline,
        new_deadline=new_deadline,
        created_at=at,
    )
    request.full_clean()
    request.save()
    events.record(
        item,
        "ledger.extension.requested",
        actor=actor,
        at=at,
        data={
            "from": request.old_deadline.isoformat(),
            "to": new_deadline.isoformat(),
            "reason": request.reason,
        },
    )
    notify.after_commit(
        notify.unit_users(item.ledger.owner_unit),
        item,
        "ledger.extension",
        _("%(number)s asks for an extension to %(date)s") % {"number": item.number, "date": new_deadline},
    )
    return request


@transaction.atomic
def extension_decide(
    *,
    actor: User | None,
    request: ExtensionRequest,
    approve: bool,
    note: str = "",
    at: dt.datetime | None = None,
    owner_rule: bool = False,
) -> ExtensionRequest:
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    item = _lock(request.item)
    at, today = moment(at)
    target = ExtensionState.APPROVED if approve else ExtensionState.REJECTED
    EXTENSION_MOVES.check_target(request.state, target)
    if actor is not None and not owner_rule and not access.can_review(actor, item):
        raise LedgerPermissionError(_("Extensions are decided by a supervisor outside the responsible unit."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Give the reason for refusing.")})
    request.state = target
    request.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    request.decided_at = at
    request.decision_note = note.strip()
    request.save()
    if approve:
        item.effective_deadline = request.new_deadline
        item.save(update_fields=["effective_deadline", "updated_at"])
        item_refresh_light(item, today, at)
        found = owners.owned(item)
        if found is not None:
            owner, subject = found
            owner.deadline_moved(subject, item)
    events.record(
        item,
        f"ledger.extension.{target}",
        actor=actor,
        at=at,
        data={"to": request.new_deadline.isoformat(), "note": request.decision_note},
    )
    notify.after_commit(
        notify.unit_users(item.lead_unit),
        item,
        "ledger.extension",
        _("%(number)s: extension %(decision)s") % {"number": item.number, "decision": ExtensionState(target).label},
    )
    return request
