"""Importing items from Excel: upload and check, then run and follow the import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from duban.core.forms import add_service_errors
from duban.ledger import access
from duban.ledger import imports as import_rows
from duban.ledger.forms import ImportForm
from duban.ledger.models import ImportJob
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
