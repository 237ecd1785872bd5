from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.exports import official_docx, xlsx_response
from duban.core.forms import add_service_errors
from duban.core.views import form_page, pk_or_404, year_or_404
from duban.ledger.models import ItemEvent, Notice
from duban.ledger.services import events
from duban.orgs import access as org_access
from duban.orgs.models import Unit
from duban.reforms import access, appraisal, documents, rounds, services, tolerance
from duban.reforms.choices import (
    AdjustmentState,
    PanelState,
    PlanState,
    ProposalState,
    Satisfaction,
    ToleranceState,
)
from duban.reforms.forms import (
    AdjustmentForm,
    AnswerForm,
    BonusForm,
    CallForm,
    CaseForm,
    CriteriaForm,
    DecisionForm,
    LookBackForm,
    MemberForm,
    MilestonesForm,
    PanelForm,
    PlanApprovalForm,
    RatingRoundForm,
    ReformFilterForm,
    ReformForm,
    ToleranceApplyForm,
    ToleranceDecisionForm,
    VoteRoundForm,
)
from duban.reforms.models import (
    Case,
    ExpertPanel,
    Proposal,
    ProposalCall,
    RatingRound,
    Reform,
    ReformAdjustment,
    ToleranceCase,
    VoteRound,
)


@login_required
def reform_list(request):
    access.require_reader(request.user)
    form = ReformFilterForm(request.GET or None)
    reforms = Reform.objects.select_related("lead_unit").prefetch_related("lead_leaders", "items")
    if form.is_valid():
        if form.cleaned_data["year"]:
            reforms = reforms.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["level"]:
            reforms = reforms.filter(level=form.cleaned_data["level"])
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    context = {
        "form": form,
        "reforms": reforms[:500],
        "year": year,
        "can_manage": access.can_manage_reforms(request.user),
    }
    return render(request, "reforms/reform_list.html", context)


@login_required
def reform_edit(request, pk: int | None = None):
    access.require_manager(request.user)
    reform = get_object_or_404(Reform, pk=pk) if pk else None
    initial = {} if reform else {"year": timezone.localdate().year}
    form = ReformForm(request.POST or None, instance=reform, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in form.fields or not form.fields[name].disabled
        }
        try:
            if reform is None:
                leaders = list(data.pop("lead_leaders")) or None
                reform = services.reform_register(actor=request.user, lead_leaders=leaders, **data)
                messages.success(request, _("Reform registered."))
            else:
                services.reform_update(actor=request.user, reform=reform, data=data)
                messages.success(request, _("Saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("reforms:reform_detail", pk=reform.pk)
    return form_page(
        request,
        form,
        title=reform.title if reform else _("Register a reform"),
        back_url=reverse("reforms:reform_detail", args=[reform.pk]) if reform else reverse("reforms:reform_list"),
        submit_label=_("Save") if reform else _("Register"),
    )


@login_required
def reform_detail(request, pk: int):
    return _reform_page(request, pk)


def _reform_page(request, pk: int, **bound):
    """The reform page; `bound` holds a refused form, shown open with its errors and what was typed."""
    access.require_reader(request.user)
    reform = get_object_or_404(Reform.objects.select_related("lead_unit", "domain"), pk=pk)
    root = reform.item
    items = list(services.reform_items(reform).select_related("lead_unit", "ledger").order_by("seq"))
    context = {
        "reform": reform,
        "problems": services.responsibility_problems(reform),
        "root": next((item for item in items if root and item.pk == root.pk), None),
        "milestones": [item for item in items if not root or item.pk != root.pk],
        "notices": Notice.objects.filter(item__in=items).select_related("item").order_by("-created_at")[:50],
        "timeline": events.timeline(ItemEvent.objects.filter(item__in=items))[:100],
        "adjustments": reform.adjustments.select_related("requested_by", "decided_by"),
        "can_manage": access.can_manage_reforms(request.user),
        "milestones_form": bound.get("milestones_form") or MilestonesForm(),
        "adjustment_form": bound.get("adjustment_form") or AdjustmentForm(),
        "lookbacks": reform.lookbacks.all(),
        "lookback_form": bound.get("lookback_form") or LookBackForm(initial={"year": timezone.localdate().year}),
        "decision_form": DecisionForm(),
        "pending": AdjustmentState.PENDING,
        "ledger": root.ledger if root else services.reform_ledger(reform.year),
    }
    return render(request, "reforms/reform_detail.html", context, status=400 if bound else 200)


@login_required
@require_POST
def reform_decompose(request, pk: int):
    access.require_manager(request.user)
    reform = get_object_or_404(Reform, pk=pk)
    form = MilestonesForm(request.POST)
    if form.is_valid():
        try:
            items = services.reform_decompose(
                actor=request.user, reform=reform, milestones=form.cleaned_data["milestones"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(n)s milestones opened and assigned.") % {"n": len(items)})
            return redirect("reforms:reform_detail", pk=reform.pk)
    return _reform_page(request, pk, milestones_form=form)


@login_required
@require_POST
def adjustment_new(request, pk: int):
    access.require_manager(request.user)
    reform = get_object_or_404(Reform, pk=pk)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            services.adjustment_request(
                actor=request.user, reform=reform, reason=form.cleaned_data["reason"], changes=form.changes()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Adjustment submitted for approval."))
            return redirect("reforms:reform_detail", pk=reform.pk)
    return _reform_page(request, pk, adjustment_form=form)


@login_required
@require_POST
def adjustment_decide(request, pk: int):
    access.require_manager(request.user)
    adjustment = get_object_or_404(ReformAdjustment, pk=pk)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.adjustment_decide(
                actor=request.user, adjustment=adjustment, approve=approve, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Adjustment approved.") if approve else _("Adjustment rejected."))
    return redirect("reforms:reform_detail", pk=adjustment.reform_id)


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
        response["Content-Disposition"] = content_disposition_header(True, f"{plan.title}.docx")
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
        submit_label=_("Open"),
    )


@login_required
def call_detail(request, pk: int):
    """The office's view of a call: every proposal with who sent it, and a form to answer each."""
    access.require_reader(request.user)
    call = get_object_or_404(ProposalCall, pk=pk)
    can_manage = access.can_manage_reforms(request.user)
    proposals = call.proposals.select_related("unit", "author", "reform", "merged_into")
    rows = [
        {"proposal": p, "form": AnswerForm(proposal=p) if can_manage and p.state == ProposalState.SUBMITTED else None}
        for p in proposals
    ]
    context = {"call": call, "rows": rows, "today": timezone.localdate(), "can_manage": can_manage}
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
    return redirect(reverse("reforms:call_detail", args=[proposal.call_id]) + f"#proposal-{proposal.pk}")


#
# Evaluation
#


@login_required
def evaluation(request):
    """Every rating round, voting round and expert panel, newest first."""
    access.require_reader(request.user)
    context = {
        "rating_rounds": RatingRound.objects.all(),
        "vote_rounds": VoteRound.objects.all(),
        "panels": ExpertPanel.objects.all(),
        "can_manage": access.can_manage_reforms(request.user),
    }
    return render(request, "reforms/evaluation.html", context)


EVALUATION_FORMS = {
    "rating": (RatingRoundForm, rounds.rating_round_create, "reforms", gettext_lazy("Open a rating round (群众评)")),
    "vote": (VoteRoundForm, rounds.vote_round_create, "candidates", gettext_lazy("Open a voting round (大家评)")),
    "panel": (PanelForm, rounds.panel_create, "candidates", gettext_lazy("Set up an expert panel (第三方评估)")),
}
EVALUATION_PAGES = {"rating": "reforms:rating_round", "vote": "reforms:vote_round", "panel": "reforms:panel_detail"}


@login_required
def evaluation_new(request, kind: str):
    access.require_manager(request.user)
    if kind not in EVALUATION_FORMS:
        raise Http404
    form_class, create, related, title = EVALUATION_FORMS[kind]
    form = form_class(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data[related] = list(data[related])
        try:
            created = create(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(EVALUATION_PAGES[kind], pk=created.pk)
    return form_page(request, form, title=title, back_url=reverse("reforms:evaluation"), submit_label=_("Create"))


@login_required
def rating_round(request, pk: int):
    access.require_reader(request.user)
    round_ = get_object_or_404(RatingRound, pk=pk)
    context = {"round": round_, "results": rounds.rating_results(round_), "levels": Satisfaction.choices}
    return render(request, "reforms/rating_round.html", context)


@login_required
def vote_round(request, pk: int):
    access.require_reader(request.user)
    round_ = get_object_or_404(VoteRound, pk=pk)
    return render(request, "reforms/vote_round.html", {"round": round_, "results": rounds.vote_results(round_)})


@login_required
def panel_detail(request, pk: int):
    """The panel: its index, members and candidates, the ranking, and the office's actions."""
    access.require_reader(request.user)
    panel = get_object_or_404(ExpertPanel, pk=pk)
    can_manage = access.can_manage_reforms(request.user)
    criteria_form = CriteriaForm(criteria=panel.criteria)
    member_form = MemberForm()
    if request.method == "POST":
        access.require_manager(request.user)
        action = request.POST.get("action")
        try:
            if action == "criteria":
                criteria_form = CriteriaForm(request.POST, criteria=panel.criteria)
                if criteria_form.is_valid():
                    rounds.panel_set_criteria(actor=request.user, panel=panel, criteria=criteria_form.criteria())
                    messages.success(request, _("Index saved."))
                    return redirect("reforms:panel_detail", pk=pk)
            elif action == "member":
                member_form = MemberForm(request.POST)
                if member_form.is_valid():
                    rounds.panel_add_member(actor=request.user, panel=panel, **member_form.cleaned_data)
                    messages.success(request, _("Expert added."))
                    return redirect("reforms:panel_detail", pk=pk)
            elif action == "publish":
                rounds.panel_publish(actor=request.user, panel=panel)
                messages.success(request, _("Results published on the portal."))
                return redirect("reforms:panel_detail", pk=pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    context = {
        "panel": panel,
        "members": panel.members.select_related("user", "unit"),
        "results": rounds.panel_results(panel),
        "criteria_form": criteria_form,
        "member_form": member_form,
        "can_manage": can_manage,
        "scoring": panel.state == PanelState.SCORING,
        "has_scores": panel.members.filter(scores__isnull=False).exists(),
        "member_of_panel": panel.members.filter(user=request.user).exists(),
    }
    return render(request, "reforms/panel_detail.html", context)


@login_required
def panel_score(request, pk: int):
    """An expert's scoring sheet: every candidate, one score per criterion; revisable until published."""
    panel = get_object_or_404(ExpertPanel, pk=pk)
    member = panel.members.filter(user=request.user).select_related("unit").first()
    if member is None:
        raise PermissionDenied
    candidates = list(panel.candidates.select_related("lead_unit"))
    errors = {}
    if request.method == "POST":
        reform = get_object_or_404(panel.candidates, pk=pk_or_404(request.POST.get("reform")))
        scores = {c["code"]: request.POST.get(f"{reform.pk}-{c['code']}", "").strip() for c in panel.criteria}
        try:
            rounds.score_submit(actor=request.user, panel=panel, reform=reform, scores=scores)
        except ValidationError as error:
            errors[reform.pk] = error.messages
        else:
            messages.success(request, _("Scores saved for %(title)s.") % {"title": reform.title})
            return redirect(reverse("reforms:panel_score", args=[pk]) + f"#candidate-{reform.pk}")
    mine = {(s.reform_id, s.criterion): s.value for s in member.scores.all()}
    sheet = [
        {
            "reform": reform,
            "conflicted": rounds.conflicted(member, reform),
            "errors": errors.get(reform.pk, []),
            "cells": [
                (
                    c,
                    request.POST.get(f"{reform.pk}-{c['code']}")
                    if reform.pk in errors
                    else mine.get((reform.pk, c["code"])),
                )
                for c in panel.criteria
            ],
        }
        for reform in candidates
    ]
    context = {"panel": panel, "member": member, "sheet": sheet, "scoring": panel.state == PanelState.SCORING}
    return render(request, "reforms/panel_score.html", context, status=400 if errors else 200)


@login_required
def my_panels(request):
    """The panels an expert sits on, each with its scoring sheet."""
    panels = ExpertPanel.objects.filter(members__user=request.user).order_by("-year", "-id")
    return render(request, "reforms/my_panels.html", {"panels": panels})


@login_required
def summary(request):
    """The reform office's summary over a span of years (2014–2018 by default, the seed's five years)."""
    access.require_reader(request.user)
    try:
        first = int(request.GET.get("from", 2014))
        last = int(request.GET.get("to", 2018))
    except ValueError:
        first, last = 2014, 2018
    if not 2000 <= first <= last <= first + 20:
        first, last = 2014, 2018
    context = {"first": first, "last": last, **services.summary(first, last)}
    return render(request, "reforms/summary.html", context)


@login_required
@require_POST
def lookback_new(request, pk: int):
    access.require_manager(request.user)
    reform = get_object_or_404(Reform, pk=pk)
    form = LookBackForm(request.POST)
    if form.is_valid():
        try:
            lookback = services.lookback_record(actor=request.user, reform=reform, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Look-back recorded."))
            if lookback.reopened:
                messages.warning(request, _("%(n)s ledger items reopened.") % {"n": lookback.reopened})
            return redirect(reverse("reforms:reform_detail", args=[pk]) + "#lookbacks")
    return _reform_page(request, pk, lookback_form=form)


@login_required
def case_list(request):
    access.require_reader(request.user)
    context = {"cases": Case.objects.select_related("reform"), "can_manage": access.can_manage_reforms(request.user)}
    return render(request, "reforms/case_list.html", context)


@login_required
def case_edit(request, pk: int | None = None):
    access.require_manager(request.user)
    case = get_object_or_404(Case, pk=pk) if pk else None
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        publish = data.pop("publish")
        try:
            services.case_save(actor=request.user, case=case, publish=publish, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("reforms:case_list")
    return form_page(
        request, form, title=case.title if case else _("Write up a case"), back_url=reverse("reforms:case_list")
    )


@login_required
def appraisal_detail(request, year: int):
    """年度改革考评: streets and departments scored and ranked apart; bonuses recorded here;
    downloads as .xlsx and .docx."""
    access.require_reader(request.user)
    record = appraisal.appraisal_of(year_or_404(year))
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return xlsx_response(
            f"{year}年度改革考评.xlsx", "改革考评", appraisal.APPRAISAL_HEADERS, appraisal.export_rows(record)
        )
    if fmt == "docx":
        lines = [
            f"{'街道' if r[0] == '街道' else '部门'}第{r[1]}名：{r[2]}，总分{r[7]}，等次{r[8]}。"
            for r in appraisal.export_rows(record)
        ]
        content = official_docx(
            title=f"罗湖区{year}年度改革考评结果",
            number="",
            recipient="各街道、区直各单位",
            paragraphs=[f"根据{year}年度改革考评办法，考评结果如下（街道、部门分别排名）：", *lines],
            issuer="中共深圳市罗湖区委全面深化改革委员会办公室",
            date=timezone.localdate(),
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = content_disposition_header(True, f"{year}年度改革考评.docx")
        return response
    form = BonusForm(request.POST or None, units=appraisal.appraised_units())
    if request.method == "POST":
        access.require_manager(request.user)
        if form.is_valid():
            try:
                appraisal.bonus_add(actor=request.user, appraisal=record, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Bonus recorded."))
                return redirect("reforms:appraisal_detail", year=year)
    context = {
        "year": year,
        "appraisal": record,
        "rows": appraisal.rows(record),
        "form": form,
        "can_manage": access.can_manage_reforms(request.user),
    }
    return render(request, "reforms/appraisal_detail.html", context, status=400 if form.errors else 200)


#
# 容错纠错
#


def _tolerance_case(user, pk: int) -> ToleranceCase:
    """A case its unit's people and the deciders see; to anyone else it does not exist."""
    case = ToleranceCase.objects.select_related("unit", "reform").filter(pk=pk).first()
    if case is None or not (tolerance.decides(user) or tolerance.acts_for(user, case.unit)):
        raise Http404
    return case


@login_required
def tolerance_list(request):
    org_access.require_official(request.user)
    cases = ToleranceCase.objects.select_related("unit", "reform")
    if not tolerance.decides(request.user):
        cases = cases.filter(unit__in=Unit.objects.subtrees(org_access.scope_roots(request.user)))
    return render(request, "reforms/tolerance_list.html", {"cases": cases})


@login_required
def tolerance_new(request):
    org_access.require_official(request.user)
    roots = org_access.scope_roots(request.user)
    if not roots:
        raise PermissionDenied
    form = ToleranceApplyForm(
        request.POST or None, units=Unit.objects.subtrees(roots), initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reform = data["reform"]
        try:
            case = tolerance.tolerance_apply(
                actor=request.user,
                unit=reform.lead_unit if reform else roots[0],
                title=data["title"],
                facts=data["facts"],
                year=data["year"],
                reform=reform,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Application submitted."))
            return redirect("reforms:tolerance_detail", pk=case.pk)
    return form_page(
        request,
        form,
        title=_("Apply for error tolerance (容错)"),
        back_url=reverse("reforms:tolerance_list"),
        submit_label=_("Apply"),
    )


@login_required
def tolerance_detail(request, pk: int):
    case = _tolerance_case(request.user, pk)
    decision_form = ToleranceDecisionForm(initial=_decision_initial(case))
    if request.method == "POST":
        target = request.POST.get("target", "")
        if target not in ToleranceState.values:
            messages.error(request, _("Choose a step."))
            return redirect("reforms:tolerance_detail", pk=pk)
        data = {}
        if target in (ToleranceState.DECIDED, ToleranceState.FINAL) and case.state != ToleranceState.DECIDED:
            decision_form = ToleranceDecisionForm(request.POST)
            if not decision_form.is_valid():
                messages.error(request, " ".join(ValidationError(decision_form.errors).messages))
                return redirect("reforms:tolerance_detail", pk=pk)
            data = decision_form.decision_data()
        for name in ("reasons", "appeal"):
            if name in request.POST and name not in data:
                data[name] = request.POST[name]
        try:
            tolerance.tolerance_transition(actor=request.user, case=case, target=target, **data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect("reforms:tolerance_detail", pk=pk)
    context = {
        "case": case,
        "history": case.history.select_related("history_user").order_by("-history_date"),
        "decides": tolerance.decides(request.user),
        "applicant": tolerance.acts_for(request.user, case.unit),
        "decision_form": decision_form,
        "today": timezone.localdate(),
        "states": ToleranceState,
    }
    return render(request, "reforms/tolerance_detail.html", context)


def _decision_initial(case: ToleranceCase) -> dict:
    """A review of an appeal starts from the decision under appeal."""
    if not case.decision:
        return {}
    initial = {name: getattr(case, name) for name in ("findings", "meeting", "decision", "reasons", "correction_plan")}
    initial.update({f"distinction_{key}": value for key, value in case.distinctions.items()})
    initial.update({f"condition_{key}": value for key, value in case.conditions.items()})
    return initial


@login_required
def tolerance_notice(request, pk: int):
    case = _tolerance_case(request.user, pk)
    if not case.decision:
        raise Http404
    response = HttpResponse(
        tolerance.notice_docx(case, timezone.localdate()),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"容错纠错认定结果告知书-{case.pk}.docx")
    return response
