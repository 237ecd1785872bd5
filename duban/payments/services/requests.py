"""A payment request from preparation to payment. It moves only through `request_step`, which
checks the transition table and who may make the move, locks the request and writes the step's
event row in the same transaction; concurrent approvals or payments of one request wait for each
other and the second finds the request already moved."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.money import clean_amount
from duban.core.numbering import next_value
from duban.core.uploads import check_scan
from duban.core.workdays import add_working_days, is_workday, moment
from duban.orgs import access as org_access
from duban.orgs.models import Unit, User
from duban.payments import access, notices
from duban.payments.choices import (
    OPEN_GAPS,
    REQUEST_MOVES,
    Channel,
    GapState,
    RequestState,
    SupplyForm,
)
from duban.payments.models import (
    CentreSettings,
    DocumentType,
    Fund,
    Gap,
    GreenUnit,
    PaymentRequest,
    RequestDocument,
    RequestEvent,
    RequestType,
    Suspension,
)

ACCOUNT_DIGITS = re.compile(r"[0-9]{8,30}")
EDITABLE = (RequestState.DRAFT, RequestState.RETURNED)
FIELDS = ("request_type", "project", "fund", "amount", "payee_name", "payee_account", "payee_bank", "contract_ref",
          "invoice_ref", "channel")  # fmt: skip


def event_write(request: PaymentRequest, actor, code: str, at, *, gap: Gap | None = None, before: str = "",
                after: str = "", reason: str = "", **data) -> None:  # fmt: skip
    RequestEvent.write(actor=actor, code=code, at=at, before=before, after=after, reason=reason, data=data,
                       request=request, gap=gap)  # fmt: skip


def clean_account(number: str) -> str:
    """The payee's account number without spaces or hyphens: 8 to 30 digits; a UnionPay card number
    (16 to 19 digits starting 62) also passes the Luhn check."""
    digits = re.sub(r"[\s-]", "", number or "")
    if not ACCOUNT_DIGITS.fullmatch(digits):
        raise ValidationError({"payee_account": _("An account number is 8 to 30 digits.")})
    if digits.startswith("62") and 16 <= len(digits) <= 19 and not _luhn(digits):
        raise ValidationError(
            {"payee_account": _("This card number fails its check digit: look for a mistyped digit.")}
        )
    return digits


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def green_refusal(unit: Unit, fund: Fund) -> str:
    """Why this unit may not pay from this fund through the green channel now ("" when it may)."""
    if not fund.green:
        return _("%(fund)s is not on the green list.") % {"fund": fund}
    if not GreenUnit.objects.filter(unit__in=Unit.objects.ancestors_of(unit)).exists():
        return _("%(unit)s is not on the green list.") % {"unit": unit}
    suspension = Suspension.objects.active().filter(unit=unit).first()
    if suspension is not None:
        return _("%(unit)s's green channel is suspended since %(date)s: supply the overdue documents first.") % {
            "unit": unit,
            "date": timezone.localtime(suspension.started_at).date().isoformat(),
        }
    return ""


def due_date(channel: str, day: dt.date) -> dt.date:
    """The service-level deadline for a request submitted on `day`, in working days."""
    centre = CentreSettings.current()
    days = centre.green_working_days if channel == Channel.GREEN else centre.normal_working_days
    if days == 0:
        return day if is_workday(day) else add_working_days(day, 1)
    return add_working_days(day, days)


def _check(request: PaymentRequest) -> None:
    """The request's own fields, as the preparer would want them checked before anything is saved."""
    errors: dict[str, list[str]] = {}
    for field, check in (("amount", clean_amount), ("payee_account", clean_account)):
        try:
            setattr(request, field, check(getattr(request, field)))
        except ValidationError as error:
            errors.update(error.message_dict)
    if request.fund_id and request.fund.unit_id and not request.unit.is_within(request.fund.unit):
        errors.setdefault("fund", []).append(_("This budget indicator is not the requesting unit's."))
    if request.request_type_id and not request.request_type.is_active:
        errors.setdefault("request_type", []).append(_("This request type is no longer in use."))
    request.invoice_ref = request.invoice_ref.strip()
    if request.invoice_ref and request.fund_id:
        clash = PaymentRequest.objects.holding_invoice(request.fund, request.invoice_ref).exclude(pk=request.pk)
        if (other := clash.first()) is not None:
            errors.setdefault("invoice_ref", []).append(
                _("Invoice %(invoice)s is already on %(number)s of this fund.")
                % {"invoice": request.invoice_ref, "number": other.number}
            )
    if request.channel == Channel.GREEN and request.fund_id and (why := green_refusal(request.unit, request.fund)):
        errors.setdefault("channel", []).append(why)
    if errors:
        raise ValidationError(errors)
    request.full_clean()


def _save(request: PaymentRequest) -> None:
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # another request took the invoice between the check and the save
        raise ValidationError(
            {"invoice_ref": _("This invoice is already on another payment request of the fund.")}
        ) from None


@transaction.atomic
def request_prepare(*, actor: User | None, unit: Unit, at: dt.datetime | None = None, **fields) -> PaymentRequest:
    """填报: someone of the unit prepares a request; it goes to the centre when submitted."""
    if actor is None:
        raise ValidationError(_("A payment request is prepared by a person."))
    if not access.acts_for(actor, unit):
        raise PermissionDenied(_("You prepare payment requests for your own unit."))
    at, _today = moment(at)
    year = timezone.localtime(at).year
    request = PaymentRequest(
        unit=unit, preparer=actor, created_at=at, **{k: v for k, v in fields.items() if k in FIELDS}
    )
    for name in ("project", "payee_name", "payee_bank", "contract_ref"):
        setattr(request, name, getattr(request, name).strip())
    request.number = f"国库{year}-{next_value(f'payments.request.{year}'):05d}"
    _check(request)
    _save(request)
    event_write(request, actor, "payments.request.created", at, after=request.state)
    return request


@transaction.atomic
def request_update(*, actor: User | None, request: PaymentRequest, **fields) -> PaymentRequest:
    """The unit corrects a request while it is being prepared or after the centre returned it."""
    request = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if actor is not None and not access.acts_for(actor, request.unit):
        raise PermissionDenied(_("Only the requesting unit changes its request."))
    if request.state not in EDITABLE:
        raise ValidationError(_("A request is changed only while being prepared or after it was returned."))
    for name, value in fields.items():
        if name in FIELDS:
            setattr(request, name, value.strip() if isinstance(value, str) else value)
    _check(request)
    _save(request)
    return request


@transaction.atomic
def documents_add(
    *, actor: User | None, request: PaymentRequest, uploads: list[tuple[DocumentType, object]], at=None
) -> list[RequestDocument]:
    """The unit attaches documents of the request's checklist; every file is checked before any is kept."""
    at, _today = moment(at)
    request = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if actor is not None and not access.acts_for(actor, request.unit):
        raise PermissionDenied(_("Only the requesting unit adds documents to its request."))
    if request.state not in EDITABLE:
        raise ValidationError(_("Documents are added while the request is prepared or after it was returned."))
    checklist = set(request.request_type.documents.values_list("pk", flat=True))
    sizes = []
    for document_type, upload in uploads:
        if document_type.pk not in checklist:
            raise ValidationError(
                {"files": _("%(type)s is not on this request type's checklist.") % {"type": document_type}}
            )
        sizes.append(check_scan(upload, field="files"))
    added = [
        RequestDocument.objects.create(
            request=request,
            document_type=document_type,
            file=upload,
            name=Path(upload.name).name[:200],
            size=size,
            uploaded_by=actor,
            created_at=at,
        )  # fmt: skip
        for (document_type, upload), size in zip(uploads, sizes, strict=True)
    ]
    if added:
        event_write(request, actor, "payments.request.documents", at, names=[d.name for d in added])
    return added


def missing_documents(request: PaymentRequest) -> list[DocumentType]:
    """The checklist's documents the request does not carry (supplied missing documents count)."""
    present = set(request.documents.values_list("document_type_id", flat=True))
    return [t for t in request.request_type.documents.order_by("sort_order", "pk") if t.pk not in present]


def may_step(actor, request: PaymentRequest, move) -> bool:
    if actor is None:  # the system (the demo's history)
        return True
    key = move.actor
    if key == "unit":
        return access.acts_for(actor, request.unit)
    if key == "head":
        return org_access.heads(actor, request.unit)
    if key == "centre":
        return bool(access.posts_of(actor))
    return access.holds(actor, key)


REFUSALS = {
    "unit": _("Only the requesting unit does this."),
    "head": _("Only the requesting unit's responsible person signs the commitment letter."),
    "clerk": _("Only the centre's acceptance clerks do this."),
    "reviewer": _("Only the centre's payment reviewers do this."),
    "approver": _("Only the centre's payment approvers do this."),
    "cashier": _("Only the centre's payment cashiers do this."),
    "centre": _("Only the treasury payment centre does this."),
}


@transaction.atomic
def request_step(
    *, actor: User | None, request: PaymentRequest, code: str, reason: str = "", at: dt.datetime | None = None,
    **data,
) -> PaymentRequest:  # fmt: skip
    """The one way a request changes state. A refused step changes nothing."""
    at, _today = moment(at)
    request = (
        PaymentRequest.objects.select_for_update(of=("self",))
        .select_related("unit", "fund", "request_type")
        .get(pk=request.pk)
    )
    step = REQUEST_MOVES.check(
        request.state, code, may=lambda m: may_step(actor, request, m), refusal=lambda m: REFUSALS[m.actor],
        reason=reason,
    )  # fmt: skip
    if actor is not None and code in ("review", "approve", "pay") and actor.pk == request.preparer_id:
        raise PermissionDenied(_("Whoever prepared a request never reviews, approves or pays it."))
    before = request.state
    extra = _APPLY.get(code, _nothing)(request, actor=actor, at=at, reason=reason.strip(), **data) or {}
    request.state = step.target_from(before)
    request.full_clean()
    request.save()
    event_write(request, actor, step.event, at, before=before, after=request.state, reason=reason.strip(), **extra)
    if code in ("return", "refuse", "withdraw"):
        _close_gaps(request, actor=actor, at=at, why=step.label)
    notices.request_moved(request, code, actor)
    return request


def _nothing(request, **_kw) -> None:
    return None


def _submit(request: PaymentRequest, *, actor, at, **_kw) -> dict:
    _check(request)
    today = timezone.localtime(at).date()
    request.submitted_at = at
    request.due_on = due_date(request.channel, today)
    return {"due_on": request.due_on.isoformat()}


def _accept(request: PaymentRequest, *, actor, at, **_kw) -> None:
    missing = missing_documents(request)
    if missing:
        names = "、".join(t.name for t in missing)
        raise ValidationError(
            _("Documents missing: %(names)s. Return the request, or accept it with them to follow.") % {"names": names}
        )
    request.accepted_at = at


def _defer(request: PaymentRequest, *, actor, at, gaps=(), **_kw) -> dict:
    """预审: the clerk accepts the request with secondary documents to follow (容缺), listing every
    missing document once, with its form and date of supply."""
    if request.channel != Channel.GREEN:
        raise ValidationError(_("Documents to follow are accepted on the green channel only."))
    if why := green_refusal(request.unit, request.fund):
        raise ValidationError(why)
    if CentreSettings.current().centre_id is None:
        raise ValidationError(_("Set the treasury payment centre's unit in the centre settings first."))
    missing = {t.pk: t for t in missing_documents(request)}
    if not missing:
        raise ValidationError(_("No document is missing: accept the request."))
    key = [t.name for t in missing.values() if t.key]
    if key:
        raise ValidationError(
            _("Key documents are never accepted as missing: %(names)s. Return the request.") % {"names": "、".join(key)}
        )
    listed = {g["document_type"].pk for g in gaps}
    if listed != set(missing) or len(gaps) != len(listed):
        raise ValidationError(_("List every missing document once, and only those: %(names)s.")
                              % {"names": "、".join(t.name for t in missing.values())})  # fmt: skip
    today = timezone.localtime(at).date()
    for gap in gaps:
        due = gap["due_on"]
        field = f"due_{gap['document_type'].pk}"  # the pre-check form's field for this document
        if due < today:
            raise ValidationError({field: _("A supply date cannot be in the past.")})
        if due > request.due_on:
            raise ValidationError(
                {field: _("A missing document is supplied by the request's own deadline, %(date)s, at the latest.")
                 % {"date": request.due_on.isoformat()}}
            )  # fmt: skip
    for gap in gaps:
        Gap.objects.create(request=request, document_type=gap["document_type"], due_on=gap["due_on"],
                           supply_form=gap.get("supply_form") or SupplyForm.ONLINE, created_at=at)  # fmt: skip
    return {"documents": [missing[pk].name for pk in sorted(listed)]}


def _commit(request: PaymentRequest, *, actor, at, sealed: bool = False, **_kw) -> dict:
    """承诺: the unit's responsible person signs the commitment letter under the unit's seal; the
    centre's 容缺受理通知书 is issued and each missing document becomes an item of the supplement
    ledger, due on its date."""
    from duban.payments.services.gaps import gaps_register

    if not sealed:
        raise ValidationError({"sealed": _("The commitment letter carries the unit's seal.")})
    year = timezone.localtime(at).year
    request.committed_by = actor
    request.committed_at = at
    request.sealed = True
    request.accepted_at = at
    request.notice_number = f"罗财库容〔{year}〕{next_value(f'payments.notice.{year}')}号"
    gaps_register(request, actor=actor, at=at)
    return {"notice": request.notice_number}


def _review(request: PaymentRequest, *, actor, at, **_kw) -> None:
    request.reviewed_by = actor if actor is not None else None


def _approve(request: PaymentRequest, *, actor, at, **_kw) -> None:
    if actor is not None and actor.pk == request.reviewed_by_id:
        raise PermissionDenied(_("Whoever reviewed a request does not also approve it."))
    request.approved_by = actor


def _pay(request: PaymentRequest, *, actor, at, paid_on: dt.date | None = None, voucher: str = "", **_kw) -> dict:
    voucher = (voucher or "").strip()
    today = timezone.localtime(at).date()
    if paid_on is None or not voucher:
        raise ValidationError(_("Give the payment date and the voucher number."))
    if paid_on > today:
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if paid_on < timezone.localtime(request.submitted_at).date():
        raise ValidationError({"paid_on": _("The payment date cannot be before the request was submitted.")})
    if PaymentRequest.objects.filter(voucher=voucher).exclude(pk=request.pk).exists():
        raise ValidationError({"voucher": _("This voucher number is already recorded on another payment.")})
    request.paid_on, request.voucher, request.paid_at = paid_on, voucher, at
    return {"voucher": voucher, "paid_on": paid_on.isoformat()}


_APPLY = {
    "submit": _submit, "accept": _accept, "defer": _defer, "commit": _commit, "review": _review,
    "approve": _approve, "pay": _pay,
}  # fmt: skip


def _close_gaps(request: PaymentRequest, *, actor, at, why) -> None:
    """A request that goes back to the unit or ends takes its open missing documents with it: they
    are waived (and their items cancelled), so nothing is chased for a request no longer in hand;
    documents listed but never committed to are dropped."""
    from duban.payments.services.gaps import gap_end

    request.gaps.filter(committed=False).delete()
    if request.committed_at is None:
        return
    for gap in request.gaps.filter(state__in=OPEN_GAPS | {GapState.SUPPLIED}, confirmed_at__isnull=True):
        if gap.state in OPEN_GAPS:
            gap_end(gap, actor=actor, at=at, reason=str(why))
    request.committed_at = None
    request.notice_number = ""
    request.committed_by = None
    request.sealed = False
    request.save(update_fields=["committed_at", "notice_number", "committed_by", "sealed", "updated_at"])


def request_types():
    return RequestType.objects.filter(is_active=True).prefetch_related("documents")
