"""The annual plan (深改委工作要点) and the calls for proposals with the office's answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from duban.core.exports import xlsx_response
from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.text import download_name
from duban.core.views import form_page, year_or_404
from duban.reforms import access, documents, services
from duban.reforms.choices import PlanState, ProposalState
from duban.reforms.forms import AnswerForm, CallForm, PlanApprovalForm
from duban.reforms.models import Proposal, ProposalCall

PROPOSALS_PAGE = 30


@login_required
def plan_detail(request, year: int):
    """深改委工作要点: the year's plan, its approval, and its downloads (?format=docx or xlsx)."""
    access.require_reader(request.user)
    plan = services.plan_of(year_or_404(year))
    reforms = services.plan_reforms(plan)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return xlsx_response(f"{plan.title}.xlsx", "工作要点", documents.PLAN_HEADERS, documents.plan_rows(reforms))
    if fmt == "docx":
        response = HttpResponse(
            documents.plan_docx(plan, reforms),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = content_disposition_header(True, download_name(f"{plan.title}.docx"))
        return response
    form = PlanApprovalForm(request.POST or None)
    if request.method == "POST":
        access.require_manager(request.user)
        if form.is_valid():
            try:
                services.plan_approve(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The plan is recorded as approved."))
                return redirect("reforms:plan_detail", year=year)
    context = {
        "plan": plan,
        "reforms": reforms,
        "added": services.plan_added_since_approval(plan),
        "form": form,
        "approved": plan.state == PlanState.APPROVED,
        "can_manage": access.can_manage_reforms(request.user),
    }
    return render(request, "reforms/plan_detail.html", context, status=400 if form.errors else 200)


@login_required
def call_list(request):
    access.require_reader(request.user)
    calls = ProposalCall.objects.annotate(n=Count("proposals"))
    context = {"calls": calls, "today": timezone.localdate(), "can_manage": access.can_manage_reforms(request.user)}
    return render(request, "reforms/call_list.html", context)


@login_required
def call_new(request):
    access.require_manager(request.user)
    form = CallForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Call for proposals opened."))
            return redirect("reforms:call_detail", pk=call.pk)
    return form_page(
        request,
        form,
        title=_("Open a call for proposals"),
        back_url=reverse("reforms:call_list"),
        submit_label=pgettext("button", "Open"),
    )


@login_required
def call_detail(request, pk: int):
    """The office's view of a call: every proposal with who sent it, and a form to answer each."""
    access.require_reader(request.user)
    call = get_object_or_404(ProposalCall, pk=pk)
    can_manage = access.can_manage_reforms(request.user)
    proposals = call.proposals.select_related("unit", "author", "reform", "merged_into").order_by("created_at", "id")
    page = CappedPaginator(proposals, PROPOSALS_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"proposal": p, "form": AnswerForm(proposal=p) if can_manage and p.state == ProposalState.SUBMITTED else None}
        for p in page
    ]
    context = {"call": call, "page": page, "rows": rows, "today": timezone.localdate(), "can_manage": can_manage}
    return render(request, "reforms/call_detail.html", context)


@login_required
@require_POST
def proposal_answer(request, pk: int):
    access.require_manager(request.user)
    proposal = get_object_or_404(Proposal.objects.select_related("call"), pk=pk)
    form = AnswerForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.proposal_answer(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Answer published."))
    else:
        messages.error(request, " ".join(ValidationError(form.errors).messages))
    earlier = Proposal.objects.filter(call_id=proposal.call_id).filter(
        Q(created_at__lt=proposal.created_at) | Q(created_at=proposal.created_at, pk__lt=proposal.pk)
    )
    page = earlier.count() // PROPOSALS_PAGE + 1  # back to the page the answered proposal is on
    return redirect(f"{reverse('reforms:call_detail', args=[proposal.call_id])}?page={page}#proposal-{proposal.pk}")
