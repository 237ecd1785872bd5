from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import TransitionError
from duban.core.exports import xlsx_response
from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.views import form_page
from duban.ledger import access, documents, owners
from duban.ledger import imports as import_rows
from duban.ledger.choices import ACTIONS, ENDED_STATES, OPEN_STATES, PRIMARY_ORDER, ExtensionState, ItemState
from duban.ledger.forms import (
    AnswerForm,
    CarryOverForm,
    CoUnitProgressForm,
    DecisionForm,
    ExtensionForm,
    ImportForm,
    InstructionForm,
    InterviewForm,
    ItemFilterForm,
    ItemForm,
    LedgerForm,
    NoticeForm,
    ProgressForm,
    ReasonForm,
)
from duban.ledger.models import Attachment, ExtensionRequest, ImportJob, Item, Ledger, Notice, Notification
from duban.ledger.owners import OwnedItemRefused
from duban.ledger.services import events, extensions, instructions, notices, yearend
from duban.ledger.services import imports as imports_services
from duban.ledger.services import items as items_services
from duban.ledger.services import ledgers as ledger_services
from duban.ledger.services.attachments import attachments_add
from duban.ledger.services.items import item_create, item_report_progress, item_transition, item_update
from duban.orgs import access as org_access
from duban.orgs.choices import Role
from duban.orgs.models import Unit

PAGE_SIZE = 50
# Review and close-out (审核通过, 销号) record the reviewer's verification opinion (核验意见).
OPINION_REQUIRED = {"accept", "close"}


def _errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(item: Item):
    return redirect("ledger:item_detail", pk=item.pk)


#
# Lists
#


# What a row of the list shows (and `Item.overdue_days` reads).
LIST_COLUMNS = [
    "number", "title", "effective_deadline", "progress", "state", "light", "late_days",
    "lead_unit__name", "leader__name",
]  # fmt: skip


def _filtered_items(request, today):
    """The filter form bound to the query string and the visible items it selects."""
    form = ItemFilterForm(
        request.GET or None,
        ledgers=access.visible_ledgers(request.user).distinct(),
        units=Unit.objects.active().exclude(kind__in=["grid", "compound"]),
    )
    visible = access.visible_items(request.user)
    return form, form.apply(visible, today) if form.is_bound else visible.order_by("ledger_id", "seq")


@login_required
def item_list(request):
    org_access.require_official(request.user)
    today = timezone.localdate()
    form, items = _filtered_items(request, today)
    items = items.select_related("lead_unit", "leader").only(*LIST_COLUMNS)
    page = CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    unsorted = request.GET.copy()
    for key in ("sort", "page"):
        unsorted.pop(key, None)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "query": request.GET.urlencode(),
        "unsorted": unsorted.urlencode(),
        "sort": request.GET.get("sort", "number"),
    }
    template = "ledger/_item_table.html" if request.htmx else "ledger/item_list.html"
    return render(request, template, context)


@login_required
def inbox(request):
    """A unit's to-do list: to acknowledge, to report, due soon, overdue; and the person's inbox."""
    org_access.require_official(request.user)
    today = timezone.localdate()
    roots = org_access.scope_roots(request.user)
    mine = Item.objects.filter(lead_unit__in=Unit.objects.subtrees(roots)).select_related("ledger", "lead_unit")
    soon = today + timezone.timedelta(days=10)
    context = {
        "to_acknowledge": mine.filter(state=ItemState.ASSIGNED),
        "to_report": mine.filter(state__in=[ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED]),
        "due_soon": mine.open().filter(effective_deadline__gte=today, effective_deadline__lte=soon),
        "overdue": mine.overdue(today),
        "open_notices": Notice.objects.unanswered()
        .filter(item__in=mine.open())
        .select_related("item")
        .order_by("due_date"),
        "notifications": Notification.objects.filter(user=request.user).select_related("item")[:30],
        "today": today,
    }
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "ledger/inbox.html", context)


@login_required
def queue(request):
    """The supervisor's queue: to review, to close, extension requests."""
    org_access.require_official(request.user)
    visible = access.visible_items(request.user).select_related("ledger", "lead_unit")
    reviewable = [item for item in visible.filter(state=ItemState.SUBMITTED) if access.can_review(request.user, item)]
    closable = [item for item in visible.filter(state=ItemState.DONE) if access.can_close(request.user, item)]
    pending = [
        request_
        for request_ in ExtensionRequest.objects.filter(state=ExtensionState.PENDING, item__in=visible).select_related(
            "item", "item__lead_unit", "item__ledger"
        )
        if access.can_review(request.user, request_.item)
    ]
    return render(request, "ledger/queue.html", {"reviewable": reviewable, "closable": closable, "pending": pending})


#
# One item
#


def _refused(request, error: ValidationError) -> None:
    """A refused step as an error message; an owned item's refusal links to its subject's page."""
    if isinstance(error, OwnedItemRefused) and error.link:
        text = format_html('{} <a href="{}">{}</a>', _errors_text(error), error.link, error.link_label)
        messages.error(request, text)
    else:
        messages.error(request, _errors_text(error))


@login_required
def item_detail(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    user = request.user
    moves = ACTIONS.available(item.state)
    available = [spec for spec in moves if access.can_perform(user, item, spec.actor, spec.code)]
    codes = {spec.code for spec in available}
    co_units = list(item.co_units.select_related("unit"))
    context = {
        "item": item,
        "subject": owners.subject_link(item),
        "primary": next((code for code in PRIMARY_ORDER if code in codes), None),
        "today": timezone.localdate(),
        "available": available,
        "co_units": co_units,
        "my_co_units": [c for c in co_units if access.acts_for_co_unit(user, c.unit)],
        "children": item.children.select_related("lead_unit"),
        "reports": item.reports.select_related("unit", "created_by").prefetch_related("attachments"),
        "attachments": item.attachments.filter(report__isnull=True),
        "notices": item.notices.select_related("recipient_unit", "recipient_head", "interview"),
        "interview_form": InterviewForm(),
        "extensions": item.extensions.select_related("requested_by", "decided_by"),
        "instructions": item.instructions.select_related("leader"),
        "timeline": events.timeline(item.events.all()),
        "can_report": access.acts_for_unit(user, item)
        and item.state in {ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED},
        "can_extend": access.acts_for_unit(user, item) and item.state in extensions.REQUESTABLE,
        "can_decide": access.can_review(user, item),
        "can_notice": access.can_supervise(user, item) and item.state in OPEN_STATES,
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
        return _back(item)
    spec = ACTIONS[action]
    if action in OPINION_REQUIRED and not form.cleaned_data["reason"].strip():
        if not access.can_perform(request.user, item, spec.actor, action):
            raise PermissionDenied
        messages.error(request, _("Write the verification opinion (核验意见)."))
        return _back(item)
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
        items_services.co_unit_acknowledge(actor=request.user, item=item, unit=_co_unit(item, unit_pk))
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
        items_services.co_unit_report(
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
def item_export(request):
    """The filtered list as .xlsx, streamed."""
    org_access.require_official(request.user)
    today = timezone.localdate()
    _form, items = _filtered_items(request, today)
    filename = f"督办台账-{today:%Y%m%d}.xlsx"
    return xlsx_response(filename, "台账", documents.ITEM_HEADERS, documents.item_rows(items, today))


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


#
# Ledgers
#


@login_required
def ledger_list(request):
    org_access.require_official(request.user)
    ledgers = (
        access.visible_ledgers(request.user)
        .distinct()
        .select_related("owner_unit")
        .annotate(count=Count("items", distinct=True))
    )
    context = {
        "ledgers": ledgers.order_by("-year", "name"),
        "can_create": bool(_ledger_owners(request.user).exists()),
    }
    return render(request, "ledger/ledger_list.html", context)


def _ledger_owners(user):
    if org_access.is_office_admin(user):
        return Unit.objects.active().exclude(kind__in=["community", "compound", "grid", "external"])
    return org_access.scoped_units(user).active().exclude(kind__in=["community", "compound", "grid", "external"])


@login_required
def ledger_edit(request, pk: int | None = None):
    ledger = access.get_ledger_for_user(request.user, pk, manage=True) if pk else None
    owners = _ledger_owners(request.user)
    if ledger is None and not owners.exists():
        raise PermissionDenied
    form = LedgerForm(request.POST or None, instance=Ledger.objects.get(pk=pk) if pk else None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "light_policy": form.light_policy()}
        try:
            if ledger is None:
                ledger = ledger_services.ledger_create(actor=request.user, **data)
            else:
                ledger_services.ledger_update(actor=request.user, ledger=ledger, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ledger saved."))
            return redirect("ledger:ledger_list")
    title = _("Settings of %(name)s") % {"name": ledger.name} if ledger else _("Open a ledger")
    return form_page(request, form, title=title, back_url=reverse("ledger:ledger_list"))


@login_required
def ledger_carry_over(request, pk: int):
    """年末结转: what will be carried (every open item, its tree kept), then one confirmed action."""
    ledger = access.get_ledger_for_user(request.user, pk, manage=True)
    plan = yearend.carry_over_plan(ledger)
    year = ledger.year + 1
    form = CarryOverForm(request.POST or None, initial={"year": year, "deadline": dt.date(year, 12, 31)})
    if request.method == "POST" and form.is_valid():
        try:
            carried = yearend.ledger_carry_over(
                actor=request.user,
                ledger=ledger,
                year=form.cleaned_data["year"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)s unfinished items carried over.") % {"count": len(carried)})
            successor = carried[0].ledger_id if carried else ledger.pk
            return redirect(reverse("ledger:item_list") + f"?ledger={successor}")
    context = {
        "ledger": ledger,
        "plan": plan,
        "under_review": ledger.items.filter(state=ItemState.SUBMITTED).select_related("lead_unit").order_by("seq"),
        "form": form,
    }
    return render(request, "ledger/carry_over.html", context, status=400 if form.is_bound else 200)


#
# Importing from Excel
#


def _office_ledgers(user):
    own = [ledger.pk for ledger in access.visible_ledgers(user) if access.acts_for_office(user, ledger)]
    return Ledger.objects.filter(pk__in=own, is_archived=False)


@login_required
def import_new(request):
    ledgers = _office_ledgers(request.user)
    if not ledgers.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, ledgers=ledgers)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports_services.job_check(
                actor=request.user,
                ledger=form.cleaned_data["ledger"],
                name=upload.name,
                data=upload.read(),
                assign=form.cleaned_data["assign"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("ledger:import_detail", pk=job.pk)
    return render(request, "ledger/import_new.html", {"form": form}, status=400 if form.is_bound else 200)


def _import_job(request, pk: int) -> ImportJob:
    job = ImportJob.objects.select_related("ledger").filter(pk=pk).first()
    if job is None or not access.acts_for_office(request.user, job.ledger):
        raise Http404
    return job


@login_required
def import_detail(request, pk: int):
    job = _import_job(request, pk)
    if request.method == "POST":
        try:
            imports_services.job_start(actor=request.user, job=job)
        except ValidationError as error:
            messages.error(request, _errors_text(error))
        return redirect("ledger:import_detail", pk=job.pk)
    context = {"job": job, "progress": imports_services.progress_of(job), "errors": job.errors[:500]}
    template = "ledger/_import_progress.html" if request.htmx else "ledger/import_detail.html"
    return render(request, template, context)


@login_required
def import_template(request):
    org_access.require_official(request.user)
    response = HttpResponse(
        import_rows.template_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename="督办台账导入模板.xlsx")
    return response


#
# Registering and editing
#


@login_required
def item_new(request):
    ledger_qs = _office_ledgers(request.user)
    if not ledger_qs.exists():
        raise PermissionDenied
    form = ItemForm(request.POST or None, ledgers=ledger_qs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        co_units = [(unit, "") for unit in data.pop("co_units")]
        try:
            item = item_create(actor=request.user, co_units=co_units, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Item %(number)s registered as a draft.") % {"number": item.number})
            return redirect("ledger:item_detail", pk=item.pk)
    return form_page(
        request, form, title=_("Register an item"), back_url=reverse("ledger:item_list"), submit_label=_("Register")
    )


@login_required
def item_edit(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    if not access.acts_for_office(request.user, item.ledger):
        raise PermissionDenied
    form = ItemForm(
        request.POST or None, instance=Item.objects.get(pk=item.pk), ledgers=Ledger.objects.filter(pk=item.ledger_id)
    )
    for name in ("ledger", "parent", "co_units"):
        form.fields[name].disabled = True
    if item.state != ItemState.DRAFT:
        for name in ("lead_unit", "deadline", "deadline_working_days"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            item_update(actor=request.user, item=item, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _back(item)
    title = _("Edit %(number)s") % {"number": item.number}
    return form_page(request, form, title=title, back_url=reverse("ledger:item_detail", args=[item.pk]))
