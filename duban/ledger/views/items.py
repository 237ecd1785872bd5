"""One item's page, the actions on it and its documents."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import TransitionError
from duban.ledger import access, documents, owners
from duban.ledger.choices import ACTIONS, ENDED_STATES, OPEN_STATES, PRIMARY_ORDER, ItemState
from duban.ledger.forms import (
    AnswerForm,
    CoUnitProgressForm,
    DecisionForm,
    ExtensionForm,
    InstructionForm,
    InterviewForm,
    NoticeForm,
    ProgressForm,
    ReasonForm,
)
from duban.ledger.models import Attachment, ExtensionRequest, Item, Notice
from duban.ledger.owners import OwnedItemRefused
from duban.ledger.services import events, extensions, instructions, notices
from duban.ledger.services import progress as progress_services
from duban.ledger.services.attachments import attachments_add
from duban.ledger.services.progress import item_report_progress
from duban.ledger.services.transitions import item_check, item_transition
from duban.ledger.views.common import _back, _errors_text
from duban.orgs import access as org_access
from duban.orgs.choices import Role
from duban.orgs.models import Unit

# Review and close-out (审核通过, 销号) record the reviewer's verification opinion (核验意见).
OPINION_REQUIRED = {"accept", "close"}


def _refused(request, error: ValidationError) -> None:
    """A refused step as an error message; an owned item's refusal links to its subject's page."""
    if isinstance(error, OwnedItemRefused) and error.link:
        text = format_html('{} <a href="{}">{}</a>', _errors_text(error), error.link, error.link_label)
        messages.error(request, text)
    else:
        messages.error(request, _errors_text(error))


def _may_extend(user, item: Item, found, today) -> bool:
    """As `extension_request` checks: the responsible unit, an open item, before its deadline, and
    not an extension the subject decides in its own way (whatever the new date)."""
    if not (access.acts_for_unit(user, item) and item.state in extensions.REQUESTABLE):
        return False
    if item.effective_deadline is None or today > item.effective_deadline:
        return False
    if found is not None:
        try:
            found[0].check_extension(found[1], item, item.effective_deadline + dt.timedelta(days=1))
        except OwnedItemRefused:
            return False
    return True


@login_required
def item_detail(request, pk: int):
    """The item and the steps the viewer may take now: a button is shown only where the service
    would act (who may, the state, and what the item's subject keeps to its own page)."""
    item = access.get_item_for_user(request.user, pk)
    user = request.user
    today = timezone.localdate()
    found = owners.owned(item)
    moves = ACTIONS.available(item.state)
    available = [
        spec
        for spec in moves
        if access.can_perform(user, item, spec.actor, spec.code)
        and (found is None or found[0].refuses(spec.code, found[1], item) is None)
    ]
    codes = {spec.code for spec in available}
    co_units = list(item.co_units.select_related("unit"))
    children = list(item.children.select_related("lead_unit"))
    context = {
        "item": item,
        "subject": None if found is None else (found[0].url(found[1]), found[0].describe(found[1])),
        "primary": next((code for code in PRIMARY_ORDER if code in codes), None),
        "today": today,
        "available": available,
        "co_units": co_units,
        "my_co_units": [c for c in co_units if item.state in OPEN_STATES and access.acts_for_co_unit(user, c.unit)],
        "children": children,
        "reports": item.reports.select_related("unit", "created_by").prefetch_related("attachments"),
        "attachments": item.attachments.filter(report__isnull=True),
        "notices": item.notices.select_related("recipient_unit", "recipient_head", "interview"),
        "interview_form": InterviewForm(),
        "extensions": item.extensions.select_related("requested_by", "decided_by"),
        "instructions": item.instructions.select_related("leader"),
        "timeline": events.timeline(item.events.all()),
        # An item with sub-items rolls its progress up from them.
        "can_report": access.acts_for_unit(user, item)
        and item.state in {ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED}
        and all(child.state == ItemState.CANCELLED for child in children),
        "can_extend": _may_extend(user, item, found, today),
        "can_decide": access.can_review(user, item),
        "can_notice": access.can_supervise(user, item) and item.state in OPEN_STATES,
        "can_interview": access.can_supervise(user, item),
        "can_answer": access.acts_for_unit(user, item),
        "can_instruct": access.acts_for_office(user, item.ledger) or Role.DISTRICT_LEADER in org_access.roles_of(user),
        "can_edit": access.acts_for_office(user, item.ledger) and item.state not in ENDED_STATES,
        "reason_form": ReasonForm(),
        "progress_form": ProgressForm(initial={"percent": item.progress}),
        "co_progress_form": CoUnitProgressForm(),
        "extension_form": ExtensionForm(),
        "notice_form": NoticeForm(),
        "answer_form": AnswerForm(),
        "instruction_form": InstructionForm(),
        "decision_form": DecisionForm(),
    }
    instructions.mark_read(user=user, item=item)
    return render(request, "ledger/item_detail.html", context)


@login_required
@require_POST
def item_act(request, pk: int, action: str):
    item = access.get_item_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form = ReasonForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _errors_text(ValidationError(form.errors)))
        return _back(item, reopen=action)
    spec = ACTIONS[action]
    if action in OPINION_REQUIRED and not form.cleaned_data["reason"].strip():
        try:
            item_check(actor=request.user, item=item, action=action)  # a refusal says why, not this
        except TransitionError as error:
            _refused(request, error)
        else:
            messages.error(request, _("Write the verification opinion."))
        return _back(item, reopen=action)
    try:
        with transaction.atomic():
            item = item_transition(actor=request.user, item=item, action=action, reason=form.cleaned_data["reason"])
            if form.cleaned_data["files"]:
                report = item.reports.filter(is_completion=True).first() if action == "submit" else None
                attachments_add(actor=request.user, item=item, uploads=form.cleaned_data["files"], report=report)
    except (TransitionError, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
    return _back(item)


@login_required
@require_POST
def item_progress(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _errors_text(ValidationError(form.errors)))
        return _back(item)
    try:
        with transaction.atomic():
            report = item_report_progress(
                actor=request.user, item=item, percent=form.cleaned_data["percent"], text=form.cleaned_data["text"]
            )
            attachments_add(actor=request.user, item=item, uploads=form.cleaned_data["files"], report=report)
    except (TransitionError, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Progress reported."))
    return _back(item)


def _co_unit(item: Item, unit_pk: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_pk, co_items__item=item).first()
    if unit is None:
        raise Http404
    return unit


@login_required
@require_POST
def co_unit_acknowledge(request, pk: int, unit_pk: int):
    item = access.get_item_for_user(request.user, pk)
    try:
        progress_services.co_unit_acknowledge(actor=request.user, item=item, unit=_co_unit(item, unit_pk))
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        messages.success(request, _("Co-unit acknowledged its part."))
    return _back(item)


@login_required
@require_POST
def co_unit_report(request, pk: int, unit_pk: int):
    item = access.get_item_for_user(request.user, pk)
    form = CoUnitProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors_text(ValidationError(form.errors)))
        return _back(item)
    try:
        progress_services.co_unit_report(
            actor=request.user,
            item=item,
            unit=_co_unit(item, unit_pk),
            percent=form.cleaned_data["percent"],
            text=form.cleaned_data["text"],
        )
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        messages.success(request, _("Co-unit progress reported."))
    return _back(item)


@login_required
@require_POST
def item_extension(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors_text(ValidationError(form.errors)))
        return _back(item)
    try:
        extensions.extension_request(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Extension requested; a supervisor will decide."))
    return _back(item)


@login_required
@require_POST
def extension_decide(request, pk: int):
    extension = ExtensionRequest.objects.filter(pk=pk).first()
    if extension is None:
        raise Http404
    item = access.get_item_for_user(request.user, extension.item_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        extensions.extension_decide(
            actor=request.user,
            request=extension,
            approve=request.POST.get("decision") == "approve",
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return _back(item)


@login_required
@require_POST
def notice_issue(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors_text(ValidationError(form.errors)))
        return _back(item)
    try:
        notice = notices.notice_issue(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        messages.success(request, _("Notice %(number)s issued.") % {"number": notice.number})
    return _back(item)


@login_required
@require_POST
def notice_answer(request, pk: int):
    notice = Notice.objects.filter(pk=pk).first()
    if notice is None:
        raise Http404
    item = access.get_item_for_user(request.user, notice.item_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors_text(ValidationError(form.errors)))
        return _back(item)
    try:
        notices.notice_answer(actor=request.user, notice=notice, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        messages.success(request, _("Response recorded."))
    return _back(item)


@login_required
@require_POST
def interview_add(request, pk: int):
    notice = Notice.objects.filter(pk=pk).first()
    if notice is None:
        raise Http404
    item = access.get_item_for_user(request.user, notice.item_id)
    form = InterviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors_text(ValidationError(form.errors)))
        return _back(item)
    try:
        notices.interview_record(actor=request.user, notice=notice, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        messages.success(request, _("Interview recorded."))
    return _back(item)


@login_required
@require_POST
def instruction_add(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    form = InstructionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors_text(ValidationError(form.errors)))
        return _back(item)
    try:
        instructions.instruction_add(
            actor=request.user, item=item, text=form.cleaned_data["text"], leader=form.cleaned_data["leader"]
        )
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        messages.success(request, _("Instruction recorded."))
    return _back(item)


@login_required
def notice_download(request, pk: int):
    notice = (
        Notice.objects.select_related("item", "recipient_unit", "recipient_head", "issuing_unit").filter(pk=pk).first()
    )
    if notice is None:
        raise Http404
    access.get_item_for_user(request.user, notice.item_id)
    return _docx(documents.notice_docx(notice), f"{notice.number}.docx")


@login_required
def assignment_download(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    if item.assigned_at is None:
        raise Http404
    return _docx(documents.assignment_docx(item), f"{item.number}-交办单.docx")


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def attachment_download(request, pk: int):
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    access.get_item_for_user(request.user, attachment.item_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
