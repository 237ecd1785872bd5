"""Commissioned research's pages: the calls with their topics and the leading group's decision, a
project with its bids, panels, contract, milestones, instalments and result, an expert's scoring
page, and the results library (public results for everyone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.exports import amount, xlsx_sheets_response
from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.text import download_name
from duban.orgs import access as org_access
from duban.orgs.choices import UnitKind
from duban.research import access, services, summary
from duban.research.choices import (
    CALL_MOVES,
    EVENT_LABELS,
    REVIEW_STAGES,
    BidState,
    CallState,
    PanelState,
    ProjectState,
    Selection,
    Stage,
    TopicState,
    Visibility,
)
from duban.research.forms import (
    AdoptionForm,
    BidForm,
    CallForm,
    ContractForm,
    DecisionForm,
    InstructionForm,
    PanelForm,
    PayForm,
    ProjectFilterForm,
    ResultForm,
    ResultLinksForm,
    ScoreForm,
    SetupForm,
    TopicForm,
)
from duban.research.models import Instalment, Milestone, Panel, Project, Result, TopicCall

PAGE_SIZE = 50


def _fail(form, error) -> None:
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
    else:
        form.add_error(None, str(error))


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


def _without(query, names) -> str:
    """The query string without `names` (a list with its linked filters removed)."""
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _linked(request, form) -> dict:
    """What a list shows of the filters a figure elsewhere (the cockpit) linked it with."""
    names = form.linked_names()
    return {"linked": form.shown(), "linked_params": [(name, request.GET[name]) for name in names],
            "unlinked": _without(request.GET, [*names, "page"])}  # fmt: skip


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


@login_required
def call_new(request):
    access.require_centre(request.user)
    year = timezone.localdate().year
    while TopicCall.objects.filter(year=year).exists():
        year += 1
    form = CallForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_open(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _fail(form, error)
        else:
            messages.success(request, _("The call for topics is open."))
            return redirect("research:call_detail", pk=call.pk)
    return render(request, "research/form.html", {"form": form, "title": _("Open a call for topics")},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def call_detail(request, pk: int, decision_form=None, status: int = 200):
    access.require_use(request.user)
    call = get_object_or_404(TopicCall, pk=pk)
    user = request.user
    topics = access.topics_for(user).filter(call=call).select_related("unit", "decision")
    proposed = list(call.topics.filter(state=TopicState.PROPOSED).select_related("unit"))
    decides = call.state == CallState.DECIDING
    context = {
        "call": call,
        "topics": topics,
        "guide": services.guide(call) if call.state == CallState.PUBLISHED else [],
        "moves": list(CALL_MOVES.available(call.state)) if access.runs_research(user) else [],
        "decision_form": decision_form or (DecisionForm(topics=proposed) if decides and proposed and (
            access.runs_research(user) or access.in_group(user)) else None),
        "may_propose": call.state == CallState.OPEN and access.may_propose(user),
        "decisions": call.decisions.prefetch_related("present", "topics") if access.oversees(user) else [],
    }  # fmt: skip
    return render(request, "research/call_detail.html", context, status=status)


@login_required
@require_POST
def call_step(request, pk: int, code: str):
    call = get_object_or_404(TopicCall, pk=pk)
    if code not in CALL_MOVES:
        raise Http404
    try:
        services.call_step(actor=request.user, call=call, code=code)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": CALL_MOVES[code].label})
    return redirect("research:call_detail", pk=call.pk)


@login_required
@require_POST
def call_decide(request, pk: int):
    call = get_object_or_404(TopicCall, pk=pk)
    access.require_group(request.user)
    proposed = list(call.topics.filter(state=TopicState.PROPOSED))
    form = DecisionForm(request.POST, topics=proposed)
    if form.is_valid():
        approved, declined = form.decisions()
        data = form.cleaned_data
        try:
            services.decision_record(actor=request.user, call=call, held_on=data["held_on"],
                                     present=list(data["present"]), approved=approved, declined=declined,
                                     minutes=data["minutes"])  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The leading group's decision is recorded."))
            return redirect("research:call_detail", pk=call.pk)
    return call_detail(request, pk, decision_form=form, status=400)


@login_required
def topic_new(request, pk: int):
    call = get_object_or_404(TopicCall, pk=pk)
    if not access.may_propose(request.user):
        raise PermissionDenied(_("Units of the district propose topics."))
    if call.state != CallState.OPEN or timezone.localdate() > call.closes_on:
        messages.error(request, _("The call for topics is closed."))
        return redirect("research:call_detail", pk=call.pk)
    units = [root for root in org_access.scope_roots(request.user) if root.kind != UnitKind.EXTERNAL]
    form = TopicForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_propose(actor=request.user, call=call, **form.service_fields())
        except (ValidationError, PermissionDenied) as error:
            _fail(form, error)
        else:
            messages.success(request, _("Topic proposed."))
            return redirect("research:call_detail", pk=call.pk)
    return render(request, "research/form.html", {"form": form, "title": _("Propose a topic"), "call": call},
                  status=400 if form.errors else 200)  # fmt: skip


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
def panel_detail(request, pk: int, bound: tuple[int, ScoreForm] | None = None, status: int = 200):
    """The expert's scoring page (and the centre's view of the panel)."""
    panel = get_object_or_404(Panel.objects.select_related("project__contractor"), pk=pk)
    member = panel.members.filter(user=request.user).select_related("unit").first()
    runs = access.runs_research(request.user)
    if member is None and not runs:
        raise Http404
    bodies = services.entries(panel)
    bids = {bid.pk: bid for bid in panel.project.bids.select_related("applicant")}
    rows = []
    for entry, body in bodies.items():
        mine = dict(member.scores.filter(entry=entry).values_list("criterion", "value")) if member else {}
        form = None
        if member is not None:
            form = ScoreForm(
                criteria=panel.criteria, max_score=panel.max_score, initial_scores=mine, prefix=f"e{entry}"
            )
            if bound and bound[0] == entry:
                form = bound[1]
        rows.append({"entry": entry, "bid": bids.get(entry), "body": body, "form": form,
                     "recused": member is not None and services.conflicted(member, body)})  # fmt: skip
    names = {entry: (bids[entry].applicant.name if entry in bids else panel.project.title) for entry in bodies}
    results = [(rank, names.get(entry, entry), score, experts) for rank, entry, score, experts in
               services.panel_results(panel)] if runs else []  # fmt: skip
    context = {"panel": panel, "rows": rows, "runs": runs, "member": member, "results": results}
    return render(request, "research/panel_detail.html", context, status=status)


@login_required
@require_POST
def panel_score(request, pk: int, entry: int):
    panel = get_object_or_404(Panel, pk=pk)
    form = ScoreForm(request.POST, criteria=panel.criteria, max_score=panel.max_score, prefix=f"e{entry}")
    if form.is_valid():
        try:
            services.score_submit(actor=request.user, panel=panel, entry=entry, scores=form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _fail(form, error)
    if form.errors:
        return panel_detail(request, pk, bound=(entry, form), status=400)
    messages.success(request, _("Your scores are saved; you can change them until the results are published."))
    return redirect("research:panel_detail", pk=panel.pk)


@login_required
@require_POST
def panel_publish(request, pk: int):
    panel = get_object_or_404(Panel, pk=pk)
    try:
        services.panel_publish(actor=request.user, panel=panel)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        return redirect("research:panel_detail", pk=panel.pk)
    messages.success(request, _("The panel's results are published."))
    return redirect("research:project_detail", pk=panel.project_id)


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
    q = request.GET.get("q", "").strip()[:100]
    if q:
        found = found.filter(Q(title__icontains=q) | Q(abstract__icontains=q) | Q(text__icontains=q))
    page = CappedPaginator(found.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "oversees": access.oversees(request.user), **_linked(request, links)}
    return render(request, "research/results.html", context)


def result_detail(request, pk: int, bound: dict | None = None, status: int = 200):
    result = get_object_or_404(access.results_for(request.user).select_related("project"), pk=pk)
    runs = access.runs_research(request.user)
    bound = bound or {}
    context = {
        "result": result,
        "instructions": result.instructions.select_related("leader") if org_access.is_official(request.user) else [],
        "adoptions": result.adoptions.all(),
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


@login_required
def bid_file(request, pk: int):
    bid = access.get_bid_for_user(request.user, pk)
    return FileResponse(bid.file.open("rb"), as_attachment=True, filename=download_name(bid.file_name))
