"""Commissioned research: the projects, their milestones, payments and bid files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.paginator import CappedPaginator
from duban.core.text import download_name
from duban.research import access, services
from duban.research.choices import (
    EVENT_LABELS,
    REVIEW_STAGES,
    BidState,
    CallState,
    PanelState,
    ProjectState,
    Selection,
    Stage,
)
from duban.research.forms import (
    BidForm,
    ContractForm,
    PanelForm,
    PayForm,
    ProjectFilterForm,
    ResultForm,
    SetupForm,
)
from duban.research.models import Instalment, Milestone, Panel, Project, Result, TopicCall
from duban.research.views.common import _fail, _linked

PAGE_SIZE = 50


@login_required
def home(request):
    user = request.user
    access.require_use(user)
    context = {
        "calls": TopicCall.objects.all()[:10],
        "runs": access.runs_research(user),
        "oversees": access.oversees(user),
        "topics": access.topics_for(user).select_related("call", "unit").order_by("-pk")[:50]
        if not access.oversees(user) else [],
        "projects": access.projects_for(user).select_related("topic__unit", "contractor").order_by("-pk")[:100],
        "my_panels": Panel.objects.filter(members__user=user, state=PanelState.SCORING).select_related("project"),
        "open_calls": TopicCall.objects.filter(state=CallState.OPEN) if access.may_propose(user) else [],
    }  # fmt: skip
    return render(request, "research/home.html", context)


@login_required
def project_list(request):
    """Every project the reader may see, by the year of its topic call and its state."""
    access.require_use(request.user)
    form = ProjectFilterForm(request.GET or None)
    found = form.apply(access.projects_for(request.user)).select_related("topic__unit", "contractor")
    context = {
        "form": form,
        "page": CappedPaginator(found.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page")),
        "oversees": access.oversees(request.user),
        **_linked(request, form),
    }
    return render(request, "research/project_list.html", context)


def _project_forms(request, project: Project, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    runs = access.runs_research(user)
    forms = {}
    if project.state == ProjectState.SELECTING:
        if runs:
            forms["setup"] = bound.get("setup") or SetupForm(initial={
                "selection": project.selection, "bids_until": project.bids_until,
                "invited": list(project.invited.all())})  # fmt: skip
            if project.selection != Selection.DIRECT:
                forms["panel"] = bound.get("panel") or PanelForm(prefix="selection")
        bodies = access.bodies_of(user)
        if bodies and not project.bids.filter(applicant__in=bodies).exclude(state=BidState.WITHDRAWN).exists():
            forms["bid"] = bound.get("bid") or BidForm(bodies=bodies)
    if runs and project.state == ProjectState.CONTRACTING:
        forms["contract"] = bound.get("contract") or ContractForm()
    waiting = hasattr(project, "contract") and project.contract.milestones.filter(
        delivered_at__isnull=False, accepted_at__isnull=True).exists()  # fmt: skip
    scoring = project.panels.filter(state=PanelState.SCORING).exists()
    if runs and project.state in (ProjectState.RESEARCHING, ProjectState.REVISING) and waiting and not scoring:
        forms["review"] = bound.get("review") or PanelForm(prefix="review")
    if runs and project.state == ProjectState.ACCEPTED and not Result.objects.filter(project=project).exists():
        forms["result"] = bound.get("result") or ResultForm(initial={"title": project.title})
    return forms


@login_required
def project_detail(request, pk: int, bound: dict | None = None, status: int = 200):
    """What each reader sees: overseers and the commissioning unit everything; the contractor its
    contract, milestones and reviews; another research body only the project and its own bid."""
    user = request.user
    project = access.get_project_for_user(user, pk)
    runs, oversees = access.runs_research(user), access.oversees(user)
    unit = access.acts_for(user, project.topic.unit)
    contractor = project.contractor is not None and project.contractor in access.bodies_of(user)
    contract = getattr(project, "contract", None) if hasattr(project, "contract") else None
    milestones = list(contract.milestones.all()) if contract and (oversees or unit or contractor) else []
    for milestone in milestones:
        milestone.item = services.item_of(milestone) if runs or unit else None
        milestone.payment = Instalment.objects.filter(milestone=milestone).first()
    names = {bid.pk: bid.applicant.name for bid in project.bids.select_related("applicant")}
    panels = []
    for panel in project.panels.order_by("pk"):
        if not (oversees or unit or (contractor and panel.stage != Stage.SELECTION)):
            continue
        results = services.panel_results(panel) if panel.state == PanelState.PUBLISHED or runs else []
        panels.append({
            "panel": panel, "link": runs or panel.members.filter(user=user).exists(),
            "results": [(rank, names.get(entry, project.title), score, experts)
                        for rank, entry, score, experts in results],
        })  # fmt: skip
    result = Result.objects.filter(project=project).first()
    context = {
        "project": project,
        "runs": runs,
        "bids": access.bids_for(user, project).select_related("applicant"),
        "my_bodies": access.bodies_of(user),
        "panels": panels,
        "contract": contract if (oversees or unit or contractor) else None,
        "milestones": milestones,
        "forms": _project_forms(request, project, bound),
        "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
        "result": result if result is not None and access.results_for(user).filter(pk=result.pk).exists() else None,
        "events": [{"event": e, "label": EVENT_LABELS.get(e.code, e.code)}
                   for e in project.events.select_related("actor").order_by("at", "pk")] if oversees or unit else [],
    }  # fmt: skip
    return render(request, "research/project_detail.html", context, status=status)


@login_required
@require_POST
def project_act(request, pk: int, what: str):
    """The centre's and the applicants' steps on a project's page."""
    project = access.get_project_for_user(request.user, pk)
    user = request.user
    form = None
    try:
        if what == "setup":
            form = SetupForm(request.POST)
            if form.is_valid():
                services.project_setup(actor=user, project=project, **form.cleaned_data)
        elif what == "bid":
            form = BidForm(request.POST, request.FILES, bodies=access.bodies_of(user))
            if form.is_valid():
                services.bid_submit(actor=user, project=project, **form.cleaned_data)
        elif what in ("panel", "review"):
            form = PanelForm(request.POST, prefix="selection" if what == "panel" else "review")
            if form.is_valid():
                stage = Stage.SELECTION if what == "panel" else _next_review(project)
                panel = services.panel_open(actor=user, project=project, stage=stage,
                                            experts=list(form.cleaned_data["experts"]))  # fmt: skip
                messages.success(request, _("The panel is open: the experts score on their page."))
                return redirect("research:panel_detail", pk=panel.pk)
        elif what == "withdraw":
            bid = project.bids.filter(applicant__in=access.bodies_of(user), state=BidState.SUBMITTED).first()
            if bid is None:
                raise Http404
            services.bid_withdraw(actor=user, bid=bid)
        elif what == "choose":
            services.project_choose(actor=user, project=project)
        elif what == "contract":
            form = ContractForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                services.contract_sign(
                    actor=user, project=project, number=data["number"], amount=data["amount"],
                    signed_on=data["signed_on"], deliverables=data["deliverables"],
                    due={stage: data[f"due_{stage}"] for stage in REVIEW_STAGES},
                    instalments={stage: data[f"pay_{stage}"] or 0 for stage in REVIEW_STAGES},
                )  # fmt: skip
        elif what == "result":
            form = ResultForm(request.POST, request.FILES)
            if form.is_valid():
                result = services.result_share(actor=user, project=project, **form.cleaned_data)
                messages.success(request, _("The result is in the library."))
                return redirect("research:result_detail", pk=result.pk)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        if form is None:
            messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
            return redirect("research:project_detail", pk=project.pk)
        _fail(form, error)
    if form is not None and form.errors:
        return project_detail(request, pk, bound={what: form}, status=400)
    messages.success(request, _("Done."))
    return redirect("research:project_detail", pk=project.pk)


def _next_review(project: Project) -> str:
    waiting = project.contract.milestones.filter(delivered_at__isnull=False, accepted_at__isnull=True).first()
    if waiting is None:
        raise ValidationError(_("A review is held once its deliverable is in and not yet accepted."))
    return waiting.stage


@login_required
@require_POST
def milestone_deliver(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.select_related("contract"), pk=pk)
    access.get_project_for_user(request.user, milestone.contract.project_id)
    try:
        services.milestone_deliver(actor=request.user, milestone=milestone)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(request, _("Deliverable recorded: the review can be held."))
    return redirect("research:project_detail", pk=milestone.contract.project_id)


@login_required
@require_POST
def instalment_pay(request, pk: int):
    instalment = get_object_or_404(Instalment.objects.select_related("contract"), pk=pk)
    access.get_project_for_user(request.user, instalment.contract.project_id)
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the payment date and the voucher number."))
    else:
        try:
            services.instalment_pay(actor=request.user, instalment=instalment, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Instalment paid."))
    return redirect("research:project_detail", pk=instalment.contract.project_id)


@login_required
def bid_file(request, pk: int):
    bid = access.get_bid_for_user(request.user, pk)
    return FileResponse(bid.file.open("rb"), as_attachment=True, filename=download_name(bid.file_name))
