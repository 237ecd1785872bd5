"""Importing items from an office's ledger: upload and check, map the columns, then run and
follow the import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.forms import add_service_errors
from duban.downloads.services import export_response
from duban.ledger import access, owners
from duban.ledger import imports as import_rows
from duban.ledger.choices import ItemState
from duban.ledger.downloads import OWN_LAYOUT
from duban.ledger.forms import BatchDeadlineForm, ImportForm, ImportMappingForm, UnitAliasForm, WithdrawImportForm
from duban.ledger.models import ImportJob, ImportState
from duban.ledger.services import import_recovery
from duban.ledger.services import imports as imports_services
from duban.ledger.views.common import _errors_text, _office_ledgers
from duban.orgs import access as org_access


@login_required
def import_new(request):
    ledgers = _office_ledgers(request.user)
    if not ledgers.exists():
        raise PermissionDenied(_("Only the supervising office imports into its ledgers."))
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
                done_as=form.cleaned_data["done_as"],
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
    return _detail_page(request, job)


def _detail_page(
    request,
    job: ImportJob,
    form: ImportMappingForm | None = None,
    status: int = 200,
    alias_forms: list[UnitAliasForm] | None = None,
    deadline_form: BatchDeadlineForm | None = None,
    withdraw_form: WithdrawImportForm | None = None,
):
    if job.state == ImportState.RUNNING and import_recovery.imports_recover_if_stalled(job):
        job.refresh_from_db()
    if request.htmx:
        context = {"job": job, "progress": imports_services.progress_of(job)}
        response = render(request, "ledger/_import_progress.html", context)
        if job.state != ImportState.RUNNING:  # done or failed: the whole page, with what comes next
            response["HX-Refresh"] = "true"
        return response
    if form is None and job.state == ImportState.CHECKED and job.columns:
        form = ImportMappingForm(job=job)
    if alias_forms is None and job.state == ImportState.CHECKED:
        alias_forms = [
            UnitAliasForm(prefix=f"alias-{i}", initial={"name": name}) for i, name in enumerate(job.unknown_units)
        ]
    batch = None
    if job.state == ImportState.DONE:
        items = job.imported_items.all()
        batch = {
            "states": list(items.values("state").annotate(n=Count("pk")).order_by("state")),
            "drafts": items.filter(state=ItemState.DRAFT).count(),
            "withdraw_refusal": imports_services.withdraw_refusal(job),
            "made": owners.imported_subjects_summary(job),
            "deadline_form": deadline_form or BatchDeadlineForm(),
            "withdraw_form": withdraw_form or WithdrawImportForm(),
        }
        for row in batch["states"]:
            row["label"] = ItemState(row["state"]).label
    context = {
        "job": job,
        "batch": batch,
        "progress": imports_services.progress_of(job),
        "errors": job.errors[:500],
        "warnings": job.warnings[:500],
        "mapping_form": form,
        "import_blocked": form is not None and form.is_bound and bool(form.errors),
        "alias_forms": list(zip(job.unknown_units, alias_forms or [], strict=False)),
    }
    return render(request, "ledger/import_detail.html", context, status=status)


@login_required
@require_POST
def import_mapping(request, pk: int):
    """Read the upload again with the columns mapped as the office chose, and remember the choice."""
    job = _import_job(request, pk)
    form = ImportMappingForm(request.POST, job=job)
    if form.is_valid():
        try:
            imports_services.job_remap(actor=request.user, job=job, chosen=form.chosen())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The file was checked again with these columns; they are remembered for this ledger.")
            )
            return redirect("ledger:import_detail", pk=job.pk)
    return _detail_page(request, job, form, status=400)


@login_required
def import_template(request):
    org_access.require_official(request.user)
    response = HttpResponse(
        import_rows.template_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename="督办台账导入模板.xlsx")
    return response


@login_required
@require_POST
def import_unit_alias(request, pk: int):
    """Read a unit name of the uploaded ledger as the unit the office chose, from now on, and
    check the upload again."""
    job = _import_job(request, pk)
    index = next((i for i in range(len(job.unknown_units)) if f"alias-{i}-name" in request.POST), None)
    if index is None:
        raise Http404
    form = UnitAliasForm(request.POST, prefix=f"alias-{index}")
    if form.is_valid():
        try:
            imports_services.job_unit_alias(
                actor=request.user, job=job, name=form.cleaned_data["name"], unit=form.cleaned_data["unit"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” is read as %(unit)s from now on; the file was checked again.")
                % {"name": form.cleaned_data["name"], "unit": form.cleaned_data["unit"].name},
            )
            return redirect("ledger:import_detail", pk=job.pk)
    forms = [
        form if i == index else UnitAliasForm(prefix=f"alias-{i}", initial={"name": name})
        for i, name in enumerate(job.unknown_units)
    ]
    return _detail_page(request, job, status=400, alias_forms=forms)


@login_required
@require_POST
def import_batch(request, pk: int, action: str):
    """What the office does with the items an import wrote: assign them, give the drafts a
    deadline, or withdraw the import (within a day, before anything happened to them)."""
    job = _import_job(request, pk)
    deadline_form = withdraw_form = None
    try:
        if action == "assign":
            assigned, late = imports_services.batch_assign(actor=request.user, job=job)
            messages.success(request, _("%(n)s items assigned; each unit has one notice.") % {"n": len(assigned)})
            if late:
                numbers = "、".join(item.number for item in late[:20])
                messages.warning(
                    request,
                    _("%(n)s drafts were not assigned: their deadline is past (%(numbers)s). Set a new deadline.")
                    % {"n": len(late), "numbers": numbers},
                )
        elif action == "deadline":
            deadline_form = BatchDeadlineForm(request.POST)
            if not deadline_form.is_valid():
                return _detail_page(request, job, status=400, deadline_form=deadline_form)
            deadline = deadline_form.cleaned_data["deadline"]
            n = imports_services.batch_set_deadline(actor=request.user, job=job, deadline=deadline)
            messages.success(request, _("%(n)s drafts are due on %(date)s.") % {"n": n, "date": deadline.isoformat()})
        elif action == "withdraw":
            withdraw_form = WithdrawImportForm(request.POST)
            if not withdraw_form.is_valid():
                return _detail_page(request, job, status=400, withdraw_form=withdraw_form)
            n = imports_services.batch_withdraw(
                actor=request.user, job=job, reason=withdraw_form.cleaned_data["reason"]
            )
            messages.success(request, _("The import was withdrawn: %(n)s items removed.") % {"n": n})
        else:
            raise Http404
    except ValidationError as error:
        form = withdraw_form if action == "withdraw" else deadline_form
        if form is not None:
            add_service_errors(form, error)
            return _detail_page(request, job, status=400, deadline_form=deadline_form, withdraw_form=withdraw_form)
        messages.error(request, _errors_text(error))
    return redirect("ledger:import_detail", pk=job.pk)


@login_required
def ledger_export_own(request, pk: int):
    """The ledger as a workbook in the office's own layout, to keep working in Excel and import again."""
    return export_response(request, OWN_LAYOUT, QueryDict(f"ledger={pk}"))
