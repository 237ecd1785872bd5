"""The rules registry, a rule's versions and actions, the units' rule-building plans and the
steps of an action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.exports import xlsx_response
from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator, searched_page
from duban.core.text import download_name
from duban.core.views import form_page, whole_number
from duban.ledger.models import Item
from duban.orgs import access as org_access
from duban.orgs.models import Unit
from duban.rules import access, causes, publicity, services
from duban.rules import compilation as compilation_services
from duban.rules import reviews as reviews_services
from duban.rules.choices import (
    ACTION_STEPS,
    ACTION_WORDS,
    LEGAL_REVIEW_KINDS,
    ActionKind,
    ActionStage,
    RuleKind,
    RuleStatus,
)
from duban.rules.forms import (
    ActionForm,
    CategoryForm,
    CompilationForm,
    DeliberationForm,
    IssueForm,
    OutreachForm,
    PlanForm,
    ReviewDecisionForm,
    RuleForm,
    RuleLinksForm,
)
from duban.rules.models import ActionCause, Compilation, Outreach, Rule, RuleCategory, RulePlan, RuleReview, RuleVersion
from duban.rules.summary import rules_summary


def _kept_units(user):
    """The units whose rules the user keeps: all for the office admin, else their own units."""
    if org_access.is_office_admin(user):
        return Unit.objects.active()
    return Unit.objects.active().filter(pk__in=[unit.pk for unit in org_access.scope_roots(user)])


@login_required
def rule_list(request):
    """The registry: every unit's rules, by unit, category, status and kind, searchable."""
    org_access.require_official(request.user)
    rules = Rule.objects.select_related("issuing_unit", "category").defer("text", "search_tokens")
    chosen = {name: request.GET.get(name, "") for name in ("unit", "category", "status", "kind", "q")}
    if unit := whole_number(chosen["unit"]):
        rules = rules.filter(issuing_unit_id=unit)
    if category := whole_number(chosen["category"]):
        rules = rules.filter(category_id=category)
    if chosen["status"] in RuleStatus.values:
        rules = rules.filter(status=chosen["status"])
    if chosen["kind"] in RuleKind.values:
        rules = rules.filter(kind=chosen["kind"])
    links = RuleLinksForm(request.GET)
    rules = links.apply(rules)
    query = chosen["q"][:100].strip()
    rules, walk = rules.listed(query, ("issuing_unit__sort_order", "category__sort_order", "pk"),
                               exact=("document_number", "title"))  # fmt: skip
    linked = links.linked_names()
    units = Unit.objects.filter(pk__in=Rule.objects.values("issuing_unit")).order_by("sort_order", "pk")
    categories = RuleCategory.objects.select_related("unit")
    if unit:
        categories = categories.filter(unit_id=unit)
    context = {
        "page": searched_page(rules, 50, query, walk, request.GET.get("page")),
        "chosen": chosen,
        "units": units,
        "categories": categories,
        "statuses": RuleStatus.choices,
        "kinds": RuleKind.choices,
        "keeps": _kept_units(request.user).exists(),
        "linked": links.shown(),
        "linked_params": [(name, request.GET[name]) for name in linked],
        "unlinked": _without(request.GET, linked + ["page"]),
    }
    return render(request, "rules/rule_list.html", context)


def _without(query, names: list[str]) -> str:
    """The query string without `names` (the list with its linked filters removed)."""
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


@login_required
def rule_detail(request, pk: int):
    org_access.require_official(request.user)
    rule = access.get_rule_for_user(request.user, pk)
    actions = list(rule.actions.select_related("plan__unit").order_by("-pk"))
    causes = ActionCause.objects.filter(action__in=actions).select_related("content_type")
    context = {
        "rule": rule,
        "versions": rule.versions.order_by("-number"),
        "actions": actions,
        "causes": causes,
        "replaces": rule.replaces.all(),
        "keeps": access.keeps_rules_of(request.user, rule.issuing_unit),
        "outreach": rule.outreach.annotate(n=Count("reached")).order_by("-held_on", "-pk"),
        "reach": publicity.reach_of([rule]),
    }
    return render(request, "rules/rule_detail.html", context)


@login_required
def version_file(request, pk: int):
    version = RuleVersion.objects.filter(pk=pk).select_related("rule").first()
    if version is None or not version.file:
        raise Http404
    access.get_rule_for_user(request.user, version.rule_id)
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=download_name(version.file_name))


@login_required
def rule_new(request):
    units = _kept_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Only a unit's own people and the office register its rules."))
    form = RuleForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.rule_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rule registered."))
            return redirect("rules:rule_detail", pk=rule.pk)
    return form_page(
        request, form, title=_("Register a rule in force"), back_url=reverse("rules:rule_list"),
        submit_label=_("Register"),
        intro=_("A rule the unit already has, as it stands. New rules and changes go through a rule-building plan."),
    )  # fmt: skip


@login_required
def category_new(request):
    units = _kept_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Only a unit's own people and the office keep its categories."))
    form = CategoryForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Category added."))
            return redirect(reverse("rules:rule_list") + f"?unit={form.cleaned_data['unit'].pk}")
    return form_page(request, form, title=_("Add a rule category"), back_url=reverse("rules:rule_list"))


@login_required
def plan_list(request):
    org_access.require_official(request.user)
    plans = RulePlan.objects.select_related("unit", "ledger").order_by("-year", "unit__sort_order", "pk")
    page = CappedPaginator(plans, 50).get_page(request.GET.get("page"))
    return render(request, "rules/plan_list.html", {"page": page, "keeps": _kept_units(request.user).exists()})


@login_required
def plan_new(request):
    units = _kept_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Only a unit's own people and the office make its rule-building plan."))
    form = PlanForm(request.POST or None, units=units, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan created. Add its actions."))
            return redirect("rules:plan_detail", pk=plan.pk)
    return form_page(request, form, title=_("New rule-building plan"), back_url=reverse("rules:plan_list"))


@login_required
def plan_detail(request, pk: int):
    plan = access.get_plan_for_user(request.user, pk)
    actions = list(plan.actions.select_related("rule").order_by("pk"))
    items = Item.objects.for_subjects(actions).newest_by_subject() if actions else {}
    words = ACTION_WORDS[plan.scheme]
    rows = [{"action": a, "item": items.get(a.pk), "word": words[a.kind]} for a in actions]
    counts = {kind: sum(1 for a in actions if a.kind == kind) for kind in ActionKind.values}
    context = {
        "plan": plan,
        "rows": rows,
        "counts": [(words[kind], ActionKind(kind).label, counts[kind]) for kind in ActionKind.values],
        "keeps": access.keeps_rules_of(request.user, plan.unit),
    }
    return render(request, "rules/plan_detail.html", context)


@login_required
def action_new(request, pk: int):
    plan = access.get_plan_for_user(request.user, pk)
    access.require_keeper(request.user, plan.unit)
    key = (request.POST or request.GET).get("cause")
    cause = causes.cause_of(key) if key else None
    initial = {"rule": whole_number(request.GET.get("rule")), "cause": key or ""}
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "cause"}
        try:
            action = services.action_add(actor=request.user, plan=plan, causes=[cause] if cause else [], **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action added; the office assigns it as a ledger item."))
            return redirect("rules:action_detail", pk=action.pk)
    intro = _("Built because of: %(cause)s") % {"cause": cause} if cause else ""
    return form_page(
        request, form, title=_("Add an action to %(plan)s") % {"plan": plan.title},
        back_url=reverse("rules:plan_detail", args=[plan.pk]), intro=intro,
    )  # fmt: skip


@login_required
def build_from(request):
    """Build a rule because of another context's record: choose the plan it belongs to."""
    org_access.require_official(request.user)
    key = request.GET.get("cause")
    cause = causes.cause_of(key)
    plans = causes.plans_for(request.user)
    if len(plans) == 1:
        return redirect(reverse("rules:action_new", args=[plans[0].pk]) + f"?cause={key}")
    return render(request, "rules/build_from.html", {"cause": cause, "key": key, "plans": plans})


def _step_forms(action, data=None, files=None) -> dict:
    if action.stage in (ActionStage.DRAFTING, ActionStage.LEGAL_REVIEW):
        return {"to_deliberation": DeliberationForm(data)}
    if action.stage == ActionStage.DELIBERATION:
        return {"issue": IssueForm(data, files, action=action)}
    return {}


@login_required
def action_detail(request, pk: int):
    action = access.get_action_for_user(request.user, pk)
    return _action_page(request, action)


def _action_page(request, action, forms=None, status=200):
    keeps = access.keeps_rules_of(request.user, action.plan.unit)
    forms = forms or (_step_forms(action) if keeps else {})
    rule_kind = action.rule.kind if action.rule else None
    steps = []
    if keeps:
        for move in ACTION_STEPS.available(action.stage):
            if move.code == "to_legal_review" and (rule_kind not in LEGAL_REVIEW_KINDS or action.kind == "repeal"):
                continue
            if move.code in ("to_legal_review", "to_deliberation", "issue", "publish"):
                steps.append({"move": move, "form": forms.get(move.code)})
    context = {
        "action": action,
        "item": action.item,
        "word": ACTION_WORDS[action.plan.scheme][action.kind],
        "steps": steps,
        "causes": action.causes.select_related("content_type"),
        "history": action.history.order_by("history_date"),
    }
    return render(request, "rules/action_detail.html", context, status=status)


@login_required
@require_POST
def action_step(request, pk: int, code: str):
    action = access.get_action_for_user(request.user, pk)
    if code not in ("to_legal_review", "to_deliberation", "issue", "publish"):
        raise Http404
    forms = {}
    data = {}
    if code in ("to_deliberation", "issue"):
        forms = _step_forms(action, request.POST, request.FILES)
        form = forms.get(code)
        if form is None:
            data = None
        elif not form.is_valid():
            return _action_page(request, action, forms, status=400)
        else:
            data = dict(form.cleaned_data)
    try:
        if data is None:
            ACTION_STEPS.check(action.stage, code)  # says why the step is not possible now
        services.action_step(actor=request.user, action=action, code=code, **(data or {}))
    except ValidationError as error:
        form = forms.get(code)
        if form is not None:
            add_service_errors(form, error)
            return _action_page(request, action, forms, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(ACTION_STEPS[code].label))
    return redirect("rules:action_detail", pk=action.pk)


@login_required
def compilation_list(request):
    org_access.require_official(request.user)
    compilations = Compilation.objects.select_related("unit").order_by("-created_at", "-pk")
    page = CappedPaginator(compilations, 50).get_page(request.GET.get("page"))
    context = {"page": page, "keeps": _kept_units(request.user).exists()}
    return render(request, "rules/compilation_list.html", context)


@login_required
def compilation_new(request):
    units = _kept_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Only a unit's own people and the office compile its rules."))
    form = CompilationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            compilation = compilation_services.compilation_create(
                actor=request.user, unit=data["unit"], title=data["title"], units=list(data["units"]),
                categories=list(data["categories"]), statuses=data["statuses"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("rules:compilation_detail", pk=compilation.pk)
    return form_page(request, form, title=_("New rules compilation"), back_url=reverse("rules:compilation_list"))


def _compilation(request, pk: int) -> Compilation:
    org_access.require_official(request.user)
    compilation = Compilation.objects.select_related("unit", "issued_by").filter(pk=pk).first()
    if compilation is None:
        raise Http404
    return compilation


@login_required
def compilation_detail(request, pk: int):
    compilation = _compilation(request, pk)
    contents = compilation_services.compilation_contents(compilation)
    sections: dict[str, list] = {}
    for heading, version in contents:
        sections.setdefault(heading, []).append(version)
    context = {
        "compilation": compilation,
        "sections": list(sections.items()),
        "n": len(contents),
        "may_issue": compilation.state == "draft" and access.keeps_rules_of(request.user, compilation.unit),
    }
    return render(request, "rules/compilation_detail.html", context)


@login_required
@require_POST
def compilation_issue(request, pk: int):
    compilation = _compilation(request, pk)
    try:
        compilation_services.compilation_issue(actor=request.user, compilation=compilation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The compilation is issued; later revisions do not change it."))
    return redirect("rules:compilation_detail", pk=compilation.pk)


@login_required
def compilation_download(request, pk: int, kind: str):
    compilation = _compilation(request, pk)
    if kind == "docx":
        response = HttpResponse(
            compilation_services.compilation_docx(compilation),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=download_name(f"{compilation.title}.docx")
        )
        return response
    if kind == "xlsx":
        headers, rows = compilation_services.compilation_index(compilation)
        return xlsx_response(f"{compilation.title}目录.xlsx", _("Index"), headers, rows)
    raise Http404


@login_required
def outreach_new(request, pk: int):
    rule = access.get_rule_for_user(request.user, pk)
    access.require_keeper(request.user, rule.issuing_unit)
    form = OutreachForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            publicity.outreach_record(actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Publicity action recorded."))
            return redirect(reverse("rules:rule_detail", args=[rule.pk]) + "#outreach")
    return form_page(
        request, form, title=_("Record a publicity action for %(rule)s") % {"rule": rule.title},
        back_url=reverse("rules:rule_detail", args=[rule.pk]),
    )  # fmt: skip


@login_required
def outreach_links(request, pk: int):
    """The receipt links of one action's enterprises, to mail or message them."""
    outreach = Outreach.objects.select_related("rule").filter(pk=pk).first()
    if outreach is None:
        raise Http404
    access.get_rule_for_user(request.user, outreach.rule_id)
    access.require_keeper(request.user, outreach.rule.issuing_unit)
    rows = (
        [reached.enterprise.name, reached.enterprise.credit_code,
         request.build_absolute_uri(reverse("portal:policy_receipt", args=[reached.token])),
         reached.confirmed_at.date() if reached.confirmed_at else None, reached.confirmed_by]
        for reached in outreach.reached.select_related("enterprise").order_by("pk")
    )  # fmt: skip
    headers = [_("Enterprise"), _("Unified social credit code"), _("Receipt link"), _("Receipt confirmed at"),
               _("Confirmed by")]  # fmt: skip
    return xlsx_response(f"{outreach.title}签收链接.xlsx", _("Receipt links"), headers, rows)


@login_required
def summary(request):
    """建章立制 in figures, per unit."""
    org_access.require_official(request.user)
    return render(request, "rules/summary.html", {"rows": rules_summary()})


@login_required
def review_list(request):
    org_access.require_official(request.user)
    reviews = RuleReview.objects.select_related("rule__issuing_unit").order_by("state", "due_on", "pk")
    page = CappedPaginator(reviews, 50).get_page(request.GET.get("page"))
    items = reviews_services.items_of(page.object_list)
    return render(request, "rules/review_list.html", {"page": page, "items": items})


@login_required
def review_detail(request, pk: int):
    org_access.require_official(request.user)
    review = RuleReview.objects.select_related("rule__issuing_unit").filter(pk=pk).first()
    if review is None:
        raise Http404
    keeps = access.keeps_rules_of(request.user, review.rule.issuing_unit)
    form = ReviewDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not keeps:
            raise PermissionDenied(_("Only the rule's own unit reviews it."))
        if form.is_valid():
            try:
                reviews_services.review_decide(actor=request.user, review=review, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Conclusion recorded; the office verifies it on the ledger item."))
                return redirect("rules:review_detail", pk=review.pk)
        status = 400
    context = {"review": review, "item": review.item, "form": form if keeps and review.state == "open" else None,
               "history": review.history.order_by("history_date")}  # fmt: skip
    return render(request, "rules/review_detail.html", context, status=status)
