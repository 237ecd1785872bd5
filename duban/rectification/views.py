from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core import derived
from duban.core.exports import amount, count, xlsx_response
from duban.core.forms import add_service_errors
from duban.core.views import form_page
from duban.ledger import access as ledger_access
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.rectification import access, services
from duban.rectification.choices import FindingStatus
from duban.rectification.forms import (
    CoverageForm,
    CoveragePlanForm,
    FindingFilterForm,
    FindingForm,
    OpenItemsForm,
    ProjectForm,
    PromptLettersForm,
    ResultForm,
)
from duban.rectification.models import AuditFinding, AuditProject, CoveragePlan


def _audit_ledger(year: int) -> Ledger | None:
    return Ledger.objects.filter(kind=LedgerKind.AUDIT, year=year).order_by("id").first()


@login_required
def audit_year(request, year: int | None = None):
    """A year's audits: projects, findings and where their rectification stands; filtered by status
    and by responsible unit (the cockpit's figures link here)."""
    access.require_reader(request.user)
    year = year or timezone.localdate().year
    today = timezone.localdate()
    form = FindingFilterForm(request.GET or None)
    of_year = AuditFinding.objects.filter(project__year=year)
    found = form.apply(of_year, today).select_related("responsible_unit").order_by("project_id", "seq")
    by_project = defaultdict(list)
    labels = dict(FindingStatus.choices)
    for finding in found:
        by_project[finding.project_id].append({"finding": finding, "status": finding.status,
                                               "label": labels[finding.status]})  # fmt: skip
    projects = AuditProject.objects.filter(year=year).select_related("audited_unit")
    sections = [{"project": p, "rows": by_project[p.pk]} for p in projects if by_project[p.pk] or not form.filtering]
    counts = dict(form.in_scope(of_year).with_status(today).values_list("status").annotate(n=Count("pk")).order_by())
    query = request.GET.copy()
    query.pop("status", None)
    unlinked = request.GET.copy()
    for name in FindingFilterForm.LINKED:
        unlinked.pop(name, None)
    years = sorted(set(AuditProject.objects.values_list("year", flat=True)) | {year}, reverse=True)
    context = {
        "year": year,
        "years": years,
        "form": form,
        "sections": sections,
        "totals": [
            (labels[status], counts.get(status, 0), status, _with(query, status=status))
            for status in FindingStatus.values
        ],  # fmt: skip
        "query": request.GET.urlencode(),
        "linked": form.linked_filters(),
        "unlinked": unlinked.urlencode(),
        "ledger": _audit_ledger(year),
        "can_manage": access.can_manage_audits(request.user),
    }
    return render(request, "rectification/audit_year.html", context)


def _with(query, **values) -> str:
    query = query.copy()
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


@login_required
def project_new(request):
    access.require_manager(request.user)
    form = ProjectForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Audit project registered."))
            return redirect("rectification:project_detail", pk=project.pk)
    return form_page(
        request,
        form,
        title=_("Register an audit project"),
        back_url=reverse("rectification:audit_year"),
        submit_label=_("Register"),
    )


def _project(pk: int) -> AuditProject:
    project = AuditProject.objects.select_related("audited_unit").filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


@login_required
def project_detail(request, pk: int):
    access.require_reader(request.user)
    project = _project(pk)
    findings = list(project.findings.select_related("responsible_unit"))
    items = services.items_by_finding(findings)
    today = timezone.localdate()
    labels = dict(FindingStatus.choices)
    built = derived.built_from(findings)
    rows = []
    for finding in findings:
        status = services.finding_status(items.get(finding.pk, []), today)
        rows.append({"finding": finding, "items": items.get(finding.pk, []), "status": status, "label": labels[status],
                     "built": built.get(finding.pk, []),
                     "rules": sum(1 for record in built.get(finding.pk, []) if record.counts)})  # fmt: skip
    ledger = _audit_ledger(project.year)
    context = {
        "project": project,
        "rows": rows,
        "total": services.findings_total(findings),
        "can_manage": access.can_manage_audits(request.user),
        "finding_form": FindingForm(),
        "open_form": OpenItemsForm(year=project.year, initial={"ledger": ledger}),
        "result_form": ResultForm(),
    }
    return render(request, "rectification/project_detail.html", context)


@login_required
@require_POST
def finding_add(request, pk: int):
    access.require_manager(request.user)
    project = _project(pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.finding_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Finding added."))
    else:
        messages.error(request, " ".join(ValidationError(form.errors).messages))
    return redirect("rectification:project_detail", pk=project.pk)


def _finding(pk: int) -> AuditFinding:
    finding = AuditFinding.objects.select_related("project", "responsible_unit").filter(pk=pk).first()
    if finding is None:
        raise Http404
    return finding


@login_required
@require_POST
def finding_open(request, pk: int):
    access.require_manager(request.user)
    finding = _finding(pk)
    form = OpenItemsForm(request.POST, year=finding.project.year)
    if form.is_valid():
        data = form.cleaned_data
        spec = {k: data[k] for k in ("title", "lead_unit", "deadline", "rectification_type")}
        try:
            items = services.finding_open_items(
                actor=request.user, finding=finding, ledger=data["ledger"], items=[spec]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Ledger item %(number)s opened and assigned.") % {"number": items[0].number})
    else:
        messages.error(request, " ".join(ValidationError(form.errors).messages))
    return redirect("rectification:project_detail", pk=finding.project_id)


@login_required
@require_POST
def finding_result(request, pk: int):
    access.require_manager(request.user)
    finding = _finding(pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        services.finding_record_result(actor=request.user, finding=finding, **form.cleaned_data)
        messages.success(request, _("Result recorded."))
    else:
        messages.error(request, " ".join(ValidationError(form.errors).messages))
    return redirect("rectification:project_detail", pk=finding.project_id)


@login_required
def midyear(request, year: int):
    """年中督办: open items by unit and light; prompt letters in one action."""
    access.require_reader(request.user)
    ledger = _audit_ledger(year)
    form = PromptLettersForm(request.POST or None)
    if request.method == "POST":
        access.require_manager(request.user)
        if ledger is not None and form.is_valid():
            try:
                count = services.midyear_prompt_letters(
                    actor=request.user, ledger=ledger, lights=set(form.cleaned_data["lights"])
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(count)s prompt letters issued.") % {"count": count})
                return redirect("rectification:midyear", year=year)
    context = {
        "year": year,
        "ledger": ledger,
        "rows": services.midyear_report(ledger) if ledger else [],
        "form": form,
        # Prompt letters come from the office that keeps this year's ledger (midyear_prompt_letters).
        "can_manage": ledger is not None and ledger_access.acts_for_office(request.user, ledger),
    }
    return render(request, "rectification/midyear.html", context)


@login_required
def yearend(request, year: int):
    """年末对账/销账: per unit rectified / ongoing / not rectified, money and rules; carry-over."""
    access.require_reader(request.user)
    today = timezone.localdate()
    rows = services.yearend_report(year, today)
    ledger = _audit_ledger(year)
    if request.GET.get("format") == "xlsx":
        labels = dict(FindingStatus.choices)
        headers = [
            "责任单位",
            *[count(str(labels[s])) for s in FindingStatus.values],
            amount("涉及金额"),
            amount("整改金额"),
            count("建章立制(项)"),
        ]
        data = (
            [row.unit.name, *[row.counts[s] for s in FindingStatus.values], row.amount_involved, row.amount_recovered,
             row.rules_built]
            for row in rows
        )  # fmt: skip
        return xlsx_response(f"{year}年审计整改对账表.xlsx", f"{year}年对账", headers, data)
    context = {
        "year": year,
        "rows": rows,
        "total": services.yearend_total(rows),
        "statuses": FindingStatus.choices,
        "ledger": ledger,
        # The carry-over is the ledger's, done by the office that keeps it (ledger_carry_over).
        "can_manage": ledger is not None and ledger_access.acts_for_office(request.user, ledger),
    }
    return render(request, "rectification/yearend.html", context)


@login_required
def coverage_new(request):
    access.require_manager(request.user)
    form = CoveragePlanForm(request.POST or None, initial={"first_year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, _("Coverage plan created; now plan the units."))
        return redirect("rectification:coverage_plan", pk=plan.pk)
    return form_page(
        request,
        form,
        title=_("New coverage plan"),
        back_url=reverse("rectification:coverage"),
        submit_label=_("Create"),
    )


@login_required
def coverage(request, pk: int | None = None):
    access.require_reader(request.user)
    plans = list(CoveragePlan.objects.all())
    plan = next((p for p in plans if p.pk == pk), plans[0] if plans else None)
    if plan is None:
        context = {"plan": None, "plans": [], "can_manage": access.can_manage_audits(request.user)}
        return render(request, "rectification/coverage.html", context)
    form = CoverageForm(request.POST or None, years=plan.years)
    if request.method == "POST":
        access.require_manager(request.user)
        if form.is_valid():
            services.coverage_plan_set(actor=request.user, plan=plan, **form.cleaned_data)
            messages.success(request, _("Plan updated."))
            return redirect("rectification:coverage_plan", pk=plan.pk)
    rows, totals = services.coverage_matrix(plan)
    context = {
        "plan": plan,
        "plans": plans,
        "rows": rows,
        "totals": totals,
        "form": form,
        "can_manage": access.can_manage_audits(request.user),
    }
    return render(request, "rectification/coverage.html", context)
