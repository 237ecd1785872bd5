"""The documents accepted as missing (容缺): each is an item of the year's supplement ledger, due on
its date, so the sweep's lights and ladder push it like any other obligation. A missing document
moves only through `gap_step`; the item moves with it (`duban.payments.subjects`). A supplement
not made in time is a broken commitment recorded against the unit, and after
`suspend_after_working_days` working days overdue the unit's green channel is suspended until it
catches up or the office lifts the suspension."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.uploads import check_scan
from duban.core.workdays import add_working_days, moment
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_transition, items_register, ledger_of_year
from duban.orgs import access as org_access
from duban.orgs.models import Unit, User
from duban.payments import access, notices
from duban.payments.choices import GAP_MOVES, SUPPLEMENT_SCORING, GapState, SuspensionEnd
from duban.payments.models import CentreSettings, CreditRecord, Gap, PaymentRequest, RequestDocument, Suspension
from duban.payments.services.requests import event_write


def supplement_ledger(year: int, *, centre: Unit) -> Ledger:
    """The year's supplement ledger (容缺补正台账), opened by the centre the first time it is needed."""
    return ledger_of_year(kind=LedgerKind.PAYMENTS, year=year, owner_unit=centre, name=f"{year}年国库支付容缺补正台账",
                          number_prefix="罗财容", scoring_scheme=dict(SUPPLEMENT_SCORING))  # fmt: skip


def item_of(gap: Gap) -> Item | None:
    return Item.objects.for_subject(gap).order_by("-pk").first()


def gaps_register(request: PaymentRequest, *, actor, at) -> list[Item]:
    """Each missing document of a request just committed to becomes an assigned item of the unit."""
    centre = CentreSettings.current().centre
    if centre is None:
        raise ValidationError(_("Set the treasury payment centre's unit in the centre settings first."))
    ledger = supplement_ledger(timezone.localtime(at).year, centre=centre)
    gaps = list(request.gaps.filter(committed=False).select_related("document_type"))
    specs = [
        {"title": f"容缺补正：{gap.document_type.name}（{request.number}）", "lead_unit": request.unit,
         "deadline": gap.due_on, "subject": gap, "external_id": f"payments.gap.{gap.pk}",
         "content": _("Supply %(document)s for payment request %(number)s (%(project)s) as the commitment letter "
                      "promised, by %(date)s.") % {"document": gap.document_type.name, "number": request.number,
                                                    "project": request.project, "date": gap.due_on.isoformat()},
         "category": _("Missing document to supply")}
        for gap in gaps
    ]  # fmt: skip
    Gap.objects.filter(pk__in=[g.pk for g in gaps]).update(committed=True)
    items = items_register(actor=actor, ledger=ledger, specs=specs, at=at, owner_rule=True)
    return [item_transition(actor=actor, item=item, action="assign", at=at, owner_rule=True) for item in items]


def may_gap_step(actor, gap: Gap, move) -> bool:
    if actor is None:
        return True
    if move.actor == "unit":
        return access.acts_for(actor, gap.request.unit) or access.holds(actor, "clerk")
    return access.holds(actor, move.actor)


def _locked(gap: Gap) -> tuple[PaymentRequest, Gap]:
    """The request, then the missing document, locked in that order by every writer."""
    request = PaymentRequest.objects.select_for_update(of=("self",)).select_related("unit").get(pk=gap.request_id)
    gap = Gap.objects.select_for_update(of=("self",)).select_related("document_type").get(pk=gap.pk)
    gap.request = request
    return request, gap


@transaction.atomic
def gap_step(
    *, actor: User | None, gap: Gap, code: str, reason: str = "", at: dt.datetime | None = None, upload=None
) -> Gap:
    """The one way a missing document changes state; its item follows. A refused step changes nothing."""
    at, today = moment(at)
    request, gap = _locked(gap)
    step = GAP_MOVES.check(
        gap.state, code, may=lambda m: may_gap_step(actor, gap, m),
        refusal=_("Only the requesting unit supplies a document, and only the centre's acceptance clerks check, "
                  "return or waive it."),
        reason=reason,
    )  # fmt: skip
    if not gap.committed:
        raise ValidationError(_("The commitment letter is not signed yet."))
    before = gap.state
    data = _GAP_APPLY[code](request, gap, actor=actor, at=at, today=today, reason=reason.strip(), upload=upload)
    gap.state = step.target_from(before)
    gap.save()
    event_write(request, actor, step.event, at, gap=gap, before=before, after=gap.state, reason=reason.strip(),
                document=gap.document_type.name, **(data or {}))  # fmt: skip
    if code == "reject" and gap.due_on < today:  # back to pending past its date: overdue at once
        gap = gap_step(actor=None, gap=gap, code="lapse", at=at)
    if code in ("supply", "waive", "reject"):
        suspension_review(request.unit, at=at)
    notices.gap_moved(gap, code, actor)
    return gap


def _item_move(gap: Gap, actions: list[str], *, actor, at, reason: str = "") -> None:
    item = item_of(gap)
    if item is None:
        return
    for action in actions:
        if action == "acknowledge" and item.state != ItemState.ASSIGNED:
            continue
        item = item_transition(actor=actor, item=item, action=action, reason=reason, at=at, owner_rule=True)


def _supply(request, gap: Gap, *, actor, at, today, upload, **_kw) -> dict:
    """补正: the document arrives (uploaded, or handed in and scanned by the clerk); its arrival is
    the date counted."""
    if upload is None:
        raise ValidationError({"file": _("Attach the supplied document.")})
    size = check_scan(upload, field="file")
    RequestDocument.objects.create(request=request, document_type=gap.document_type, file=upload, gap=gap,
                                   name=Path(upload.name).name[:200], size=size, uploaded_by=actor,
                                   created_at=at)  # fmt: skip
    gap.supplied_at = at
    _item_move(gap, ["acknowledge", "submit"], actor=actor, at=at,
               reason=_("Supplied: %(document)s") % {"document": gap.document_type.name})  # fmt: skip
    return {"on_time": today <= gap.due_on}


def gap_supplier(gap: Gap) -> int | None:
    """Who recorded the supplied document (the user's id)."""
    document = gap.documents.order_by("-pk").first()
    return document.uploaded_by_id if document is not None else None


def _confirm(request, gap: Gap, *, actor, at, **_kw) -> None:
    if gap.confirmed_at is not None:
        raise ValidationError(_("This document is already confirmed."))
    if actor is not None and actor.pk == gap_supplier(gap):
        raise PermissionDenied(_("Someone other than whoever supplied a document confirms it."))
    gap.confirmed_by, gap.confirmed_at = actor, at
    _item_move(gap, ["accept", "close"], actor=actor, at=at)


def _reject(request, gap: Gap, *, actor, at, reason, **_kw) -> None:
    if gap.confirmed_at is not None:
        raise ValidationError(_("A confirmed document is not returned."))
    gap.supplied_at = None
    gap.documents.update(gap=None)  # the rejected file stays on the request's record, no longer the supplement
    _item_move(gap, ["return"], actor=actor, at=at, reason=reason)


def _lapse(request, gap: Gap, *, actor, at, today, **_kw) -> None:
    """逾期: the commitment is broken; recorded against the unit once per missing document."""
    if gap.due_on >= today:
        raise ValidationError(_("The supply date has not passed yet."))
    gap.overdue_since = gap.due_on + dt.timedelta(days=1)
    CreditRecord.objects.get_or_create(gap=gap, defaults={"unit": request.unit, "recorded_on": today})


def _waive(request, gap: Gap, *, actor, at, reason, **_kw) -> None:
    if gap.document_type.key:  # never reached: key documents are never accepted as missing
        raise ValidationError(_("A key document is never waived."))
    _item_move(gap, ["cancel"], actor=actor, at=at, reason=reason)


_GAP_APPLY = {"supply": _supply, "confirm": _confirm, "reject": _reject, "lapse": _lapse, "waive": _waive}


def gap_end(gap: Gap, *, actor, at, reason: str) -> None:
    """Waive an open missing document because its request went back to the unit or ended (the
    request is locked by the caller)."""
    before = gap.state
    gap.state = GapState.WAIVED
    gap.save(update_fields=["state", "updated_at"])
    _item_move(gap, ["cancel"], actor=actor, at=at, reason=reason)
    event_write(gap.request, actor, "payments.gap.waived", at, gap=gap, before=before, after=gap.state,
                reason=reason, document=gap.document_type.name)  # fmt: skip
    suspension_review(gap.request.unit, at=at)


def gaps_lapse(at: dt.datetime | None = None) -> int:
    """The sweep: every missing document past its date and not supplied becomes overdue."""
    at, today = moment(at)
    count = 0
    for gap in Gap.objects.filter(state=GapState.PENDING, committed=True, due_on__lt=today).order_by("pk"):
        gap_step(actor=None, gap=gap, code="lapse", at=at)
        count += 1
    return count


def suspensions_review(at: dt.datetime | None = None) -> tuple[int, int]:
    """The sweep: suspend units overdue long enough; restore those that caught up. (started, ended)"""
    at, _today = moment(at)
    units = set(Gap.objects.filter(state=GapState.OVERDUE).values_list("request__unit_id", flat=True))
    units |= set(Suspension.objects.active().values_list("unit_id", flat=True))
    started = ended = 0
    for unit in Unit.objects.filter(pk__in=units).order_by("pk"):
        change = suspension_review(unit, at=at)
        started += change == "started"
        ended += change == "ended"
    return started, ended


@transaction.atomic
def suspension_review(unit: Unit, *, at: dt.datetime) -> str:
    """Suspend the unit's green channel when a missing document has been overdue
    `suspend_after_working_days` working days (once per document: one whose suspension the office
    lifted does not suspend again); restore it when no document that suspended it is still open."""
    today = timezone.localtime(at).date()
    limit = CentreSettings.current().suspend_after_working_days
    active = Suspension.objects.select_for_update().filter(unit=unit, ended_at__isnull=True).first()
    overdue = Gap.objects.filter(request__unit=unit, state=GapState.OVERDUE).select_related("request", "document_type")
    if active is not None:
        if not overdue.filter(pk__in=active.gap_ids).exists():
            active.ended_at, active.ended_how = at, SuspensionEnd.CAUGHT_UP
            active.save()
            _suspension_event(active, None, at, "payments.suspension.ended")
            return "ended"
        return ""
    used = set()
    for ids in Suspension.objects.filter(unit=unit).values_list("gap_ids", flat=True):
        used.update(ids)
    late = [
        gap for gap in overdue.exclude(pk__in=used).order_by("due_on", "pk")
        if add_working_days(gap.due_on, limit) < today
    ]  # fmt: skip
    if not late:
        return ""
    first = late[0]
    suspension = Suspension.objects.create(
        unit=unit, started_at=at, gap_ids=[gap.pk for gap in late], created_at=at,
        reason=_("%(document)s for %(number)s overdue since %(date)s") % {
            "document": first.document_type.name, "number": first.request.number,
            "date": first.overdue_since.isoformat() if first.overdue_since else first.due_on.isoformat(),
        },
    )  # fmt: skip
    _suspension_event(suspension, None, at, "payments.suspension.started")
    return "started"


def _suspension_event(suspension: Suspension, actor, at, code: str) -> None:
    gap = Gap.objects.filter(pk__in=suspension.gap_ids).select_related("request").order_by("pk").first()
    if gap is not None:
        event_write(gap.request, actor, code, at, gap=gap, reason=suspension.end_reason or suspension.reason,
                    unit=suspension.unit.name)  # fmt: skip


@transaction.atomic
def suspension_lift(*, actor: User | None, suspension: Suspension, reason: str, at=None) -> Suspension:
    """The office (or the centre's administrator) restores a unit's green channel, saying why."""
    at, _today = moment(at)
    if actor is not None and not access.administers(actor) and not org_access.is_office_admin(actor):
        raise PermissionDenied(_("Only the centre's administrators do this."))
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.ended_at is not None:
        raise ValidationError(_("This suspension has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the suspension is lifted.")})
    suspension.ended_at, suspension.ended_how, suspension.ended_by = at, SuspensionEnd.LIFTED, actor
    suspension.end_reason = reason.strip()[:300]
    suspension.save()
    _suspension_event(suspension, actor, at, "payments.suspension.ended")
    return suspension
