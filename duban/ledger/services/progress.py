"""Progress reports by the lead unit, and co-units acknowledging and reporting on their parts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.errors import TransitionError
from duban.core.workdays import moment
from duban.ledger import access
from duban.ledger.choices import OPEN_STATES, ItemState
from duban.ledger.models import Item, ItemCoUnit, ProgressReport
from duban.ledger.services import events
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import _lock, recompute_progress
from duban.ledger.services.lights import _current_light, _record_light
from duban.ledger.services.transitions import item_transition
from duban.orgs.models import Unit, User


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
