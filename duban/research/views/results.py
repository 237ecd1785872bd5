"""Commissioned research: the money page and the results library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.exports import amount, xlsx_sheets_response
from duban.core.forms import add_service_errors
from duban.core.paginator import searched_page
from duban.core.text import download_name
from duban.orgs import access as org_access
from duban.research import access, services, summary
from duban.research.choices import (
    Visibility,
)
from duban.research.forms import (
    AdoptionForm,
    InstructionForm,
    ResultLinksForm,
)
from duban.research.models import Result
from duban.research.views.common import _linked

PAGE_SIZE = 50


@login_required
def money_page(request):
    """Budget, contracts and instalments paid per project and per kind, for the centre and overseers."""
    if not access.oversees(request.user):
        raise PermissionDenied(_("Only the research centre and the supervising offices read the money."))
    try:
        year = min(max(int(request.GET.get("year") or timezone.localdate().year), 2000), 2100)
    except ValueError:
        year = timezone.localdate().year
    figures = summary.money(year)
    if request.GET.get("format") == "xlsx":
        headers = [_("Number"), _("Title"), _("Kind"), _("Commissioning unit"), amount(_("Budget cap")),
                   amount(_("Contract amount")), amount(_("Paid")), amount(_("Still to pay"))]  # fmt: skip
        rows = [[r.project.number, r.project.title, r.project.get_kind_display(), r.project.topic.unit.name, r.cap,
                 r.contracted, r.paid, r.unpaid] for r in figures.rows]  # fmt: skip
        kinds = [[label, cap, contracted, paid] for label, cap, contracted, paid in figures.kinds]
        return xlsx_sheets_response(f"{year}年委托课题经费.xlsx", [
            (_("Projects"), headers, rows),
            (_("By kind"), [_("Kind"), amount(_("Budget cap")), amount(_("Contract amount")), amount(_("Paid"))],
             kinds),
        ])  # fmt: skip
    return render(request, "research/money.html", {"money": figures, "year": year})


def results(request):
    """The results library: every result for officials, the public ones for everyone else."""
    links = ResultLinksForm(request.GET or None)
    found = links.apply(access.results_for(request.user)).select_related("project__topic__unit")
    found = found.defer("text", "search_tokens")
    q = request.GET.get("q", "").strip()[:100]
    found, walk = found.listed(q, ("-published_at", "-pk"), exact=("title",))
    page = searched_page(found, PAGE_SIZE, q, walk, request.GET.get("page"))
    context = {"page": page, "q": q, "oversees": access.oversees(request.user), **_linked(request, links)}
    return render(request, "research/results.html", context)


def result_detail(request, pk: int, bound: dict | None = None, status: int = 200):
    result = get_object_or_404(access.results_for(request.user).select_related("project"), pk=pk)
    runs = access.runs_research(request.user)
    bound = bound or {}
    context = {
        "result": result,
        "instructions": result.instructions.select_related("leader") if org_access.is_official(request.user) else [],
        # Where a result was adopted may name internal rules and decisions: officials only, as instructions.
        "official": org_access.is_official(request.user),
        "adoptions": result.adoptions.all() if org_access.is_official(request.user) else [],
        "instruction_form": (bound.get("instruction") or InstructionForm(initial={"given_on": timezone.localdate()}))
        if runs else None,
        "adoption_form": (bound.get("adoption") or AdoptionForm()) if runs else None,
        "public": result.visibility == Visibility.PUBLIC,
    }  # fmt: skip
    return render(request, "research/result_detail.html", context, status=status)


@login_required
@require_POST
def result_act(request, pk: int, what: str):
    result = get_object_or_404(Result, pk=pk)
    access.require_centre(request.user)
    if what == "instruction":
        form = InstructionForm(request.POST)
        if form.is_valid():
            try:
                services.instruction_add(actor=request.user, result=result, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
    elif what == "adoption":
        form = AdoptionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.adoption_add(actor=request.user, result=result, kind=data["kind"], target=form.target(),
                                      adopted_on=data["adopted_on"], title=data["title"],
                                      document_number=data["document_number"])  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error)
    else:
        raise Http404
    if form.errors:
        return result_detail(request, pk, bound={what: form}, status=400)
    messages.success(request, _("Recorded."))
    return redirect("research:result_detail", pk=result.pk)


def result_file(request, pk: int):
    result = get_object_or_404(access.results_for(request.user), pk=pk)
    return FileResponse(result.file.open("rb"), as_attachment=True, filename=download_name(result.file_name))
