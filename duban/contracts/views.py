"""Construction contracts' pages: the contracts with their key nodes, ratings and settlement and the
documents; the template's versions through the legality review; the analysis of existing contracts;
a contractor's record across contracts."""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from duban.contracts import access, services
from duban.contracts.choices import EVENT_LABELS, VERSION_MOVES, RatingState, VersionState
from duban.contracts.documents import settlement_docx, settlement_xlsx, terms_docx
from duban.contracts.forms import (
    AnalysedForm,
    AnalysisImportForm,
    AnswerForm,
    ContractFilterForm,
    ContractForm,
    NodeForm,
    RatingForm,
    ReasonForm,
    TemplateForm,
    VersionForm,
)
from duban.contracts.models import (
    ContractEvent,
    Contractor,
    KeyNode,
    Rating,
    Template,
    TemplateVersion,
    node_totals,
)
from duban.contracts.services.analysis_import import LABELS, REQUIRED
from duban.contracts.services.analysis_import import MAX_BYTES as MAX_IMPORT_BYTES
from duban.core.exports import Column, amount, xlsx_sheets_response
from duban.core.paginator import CappedPaginator
from duban.core.text import download_name
from duban.core.views import form_page, submitted

REVIEW_EVENTS = ["contracts.version.submitted", "contracts.version.returned", "contracts.version.issued"]
REVIEW_LABELS = {"issue": gettext_lazy("Review opinion (may be left empty)"),
                 "return": gettext_lazy("Why it is returned (the review's opinion)")}  # fmt: skip


def _issued(template: Template | None) -> TemplateVersion | None:
    return template.versions.filter(state=VersionState.ISSUED).first() if template else None


def _without(query, names) -> str:
    """The query string without `names` (the list with its linked filters removed)."""
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


@login_required
def home(request):
    """The contracts the reader may see, by state; filtered as a figure elsewhere (the cockpit) links it."""
    access.require_use(request.user)
    form = ContractFilterForm(request.GET or None)
    found = form.apply(access.contracts_for(request.user), timezone.localdate())
    template = Template.objects.order_by("pk").first()
    linked = form.linked_names()
    context = {
        "page": CappedPaginator(found.select_related("owner", "contractor").order_by("-starts_on", "pk"),
                                50).get_page(request.GET.get("page")),
        "form": form, "totals": node_totals(found),
        "linked": form.shown(), "linked_params": [(name, request.GET[name]) for name in linked],
        "unlinked": _without(request.GET, [*linked, "page"]),
        "template": template, "issued": _issued(template),
        "may_sign": access.signs(request.user) and _issued(template) is not None,
        "oversees": access.oversees(request.user),
    }  # fmt: skip
    return render(request, "contracts/home.html", context)


@login_required
def contract_new(request):
    if not access.signs(request.user):
        raise PermissionDenied(_("Only the contract's owner does this."))
    version = _issued(Template.objects.order_by("pk").first())
    if version is None:
        raise Http404
    form = ContractForm(request.POST or None, version=version)
    owner = services.agency_unit()

    def write(data):
        return services.contract_sign(actor=request.user, version=version, number=data["number"],
                                      project=data["project"], owner=owner, contractor=data["contractor"],
                                      amount=data["amount"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                      planned=form.planned())  # fmt: skip

    if request.method == "POST":
        done = submitted(request, form, write, _("Contract registered: its key nodes are on the ledger."),
                         lambda contract: reverse("contracts:contract_detail", args=[contract.pk]))  # fmt: skip
        if done is not None:
            return done
    return form_page(request, form, title=_("Register a contract on the template"),
                     back_url=reverse("contracts:home"), intro=str(version))  # fmt: skip


def _contract_page(request, contract, *, node_form=None, rating_form=None, status=200):
    owner = access.acts_for(request.user, contract.owner)
    today = timezone.localdate()
    nodes = list(contract.nodes.order_by("order"))
    for node in nodes:  # a node past its planned date and not reached: how many days late so far
        node.late_by = (today - node.planned_on).days if node.actual_on is None and node.planned_on < today else 0
    next_node = next((n for n in nodes if n.actual_on is None), None)
    ratings = contract.ratings.select_related("scored_by", "approved_by").order_by("year", "quarter")
    if not (owner or access.oversees(request.user)):  # the contractor reads approved ratings only
        ratings = ratings.filter(state=RatingState.APPROVED)
    ratings = list(ratings)
    context = {
        "contract": contract, "owner": owner, "nodes": nodes, "next_node": next_node if owner else None,
        "items": {n.pk: services.item_of(n) for n in nodes} if access.oversees(request.user) or owner else {},
        "node_form": node_form or NodeForm(initial={"actual_on": today}),
        "ratings": ratings, "heads": access.heads(request.user, contract.owner),
        "answers": access.answers_for(request.user, contract),
        "rating_form": rating_form or (RatingForm(criteria=contract.criteria, initial={
            "year": today.year, "quarter": (today.month - 1) // 3 + 1}) if owner else None),
        "summary": services.settlement(contract),
        "settle_refusal": services.settle_refusal(contract),
        "events": [{"event": e, "label": EVENT_LABELS.get(e.code, e.code)}
                   for e in contract.events.select_related("actor").order_by("at", "pk")],
    }  # fmt: skip
    return render(request, "contracts/contract_detail.html", context, status=status)


@login_required
def contract_detail(request, pk: int):
    return _contract_page(request, access.get_contract_for_user(request.user, pk))


@login_required
@require_POST
def node_record(request, pk: int):
    node = get_object_or_404(KeyNode, pk=pk)
    contract = access.get_contract_for_user(request.user, node.contract_id)
    access.require_owner(request.user, contract)
    form = NodeForm(request.POST)

    def write(data):
        return services.node_record(actor=request.user, node=node, actual_on=data["actual_on"])

    def message(found):
        return _("%(node)s recorded: %(outcome)s yuan.") % {"node": found.name, "outcome": f"{found.outcome:+,.2f}"}

    done = reverse("contracts:contract_detail", args=[contract.pk])
    return submitted(request, form, write, message, done) or _contract_page(request, contract, node_form=form,
                                                                              status=400)  # fmt: skip


@login_required
@require_POST
def rating_add(request, pk: int):
    contract = access.get_contract_for_user(request.user, pk)
    access.require_owner(request.user, contract)
    form = RatingForm(request.POST, criteria=contract.criteria)

    def write(data):
        return services.rating_record(actor=request.user, contract=contract, year=data["year"],
                                      quarter=data["quarter"], scores=form.scores())  # fmt: skip

    done = reverse("contracts:contract_detail", args=[contract.pk])
    return submitted(request, form, write, _("Rating scored: it now awaits the owner's head."), done) or (
        _contract_page(request, contract, rating_form=form, status=400))  # fmt: skip


@login_required
@require_POST
def rating_approve(request, pk: int):
    rating = get_object_or_404(Rating, pk=pk)
    contract = access.get_contract_for_user(request.user, rating.contract_id)
    try:
        services.rating_approve(actor=request.user, rating=rating)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rating approved."))
    return redirect("contracts:contract_detail", pk=contract.pk)


@login_required
@require_POST
def rating_answer(request, pk: int):
    rating = get_object_or_404(Rating, pk=pk)
    contract = access.get_contract_for_user(request.user, rating.contract_id)
    form = AnswerForm(request.POST, prefix=f"r{rating.pk}")
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
    else:
        try:
            services.rating_answer(actor=request.user, rating=rating, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Answer recorded."))
    return redirect("contracts:contract_detail", pk=contract.pk)


@login_required
@require_POST
def contract_settle(request, pk: int):
    contract = access.get_contract_for_user(request.user, pk)
    try:
        services.contract_settle(actor=request.user, contract=contract)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Contract settled."))
    return redirect("contracts:contract_detail", pk=contract.pk)


@login_required
def terms(request, pk: int):
    contract = access.get_contract_for_user(request.user, pk)
    return FileResponse(io.BytesIO(terms_docx(contract)), as_attachment=True,
                        filename=download_name(f"专用条款及关键节点工期表-{contract.number}.docx"))  # fmt: skip


@login_required
def statement(request, pk: int):
    contract = access.get_contract_for_user(request.user, pk)
    if request.GET.get("format") == "xlsx":
        return settlement_xlsx(contract)
    return FileResponse(io.BytesIO(settlement_docx(contract)), as_attachment=True,
                        filename=download_name(f"工期奖罚结算表-{contract.number}.docx"))  # fmt: skip


# The template library


@login_required
def templates(request):
    """The template library: each template with its issued version, searched by name or by the text
    of its terms."""
    access.require_use(request.user)
    found = Template.objects.order_by("name")
    if q := request.GET.get("q", "").strip():
        words = (Q(name__icontains=q) | Q(versions__special_terms__icontains=q)
                 | Q(versions__general_terms__icontains=q) | Q(versions__agreement__icontains=q))  # fmt: skip
        found = found.filter(words).distinct()
    rows = [(t, _issued(t), t.versions.order_by("-number").first()) for t in found[:200]]
    context = {
        "rows": rows,
        "q": q,
        "agency": access.in_agency(request.user),
        "oversees": access.oversees(request.user),
    }
    return render(request, "contracts/templates.html", context)


@login_required
def template_new(request):
    access.require_agency(request.user)
    form = TemplateForm(request.POST or None)

    def write(data):
        return services.template_add(actor=request.user, name=data["name"])

    if request.method == "POST":
        done = submitted(request, form, write, _("Template added: draft its first version."),
                         lambda template: reverse("contracts:version_edit", args=[template.pk]))  # fmt: skip
        if done is not None:
            return done
    return form_page(request, form, title=_("Add a contract template"), back_url=reverse("contracts:templates"))


@login_required
def template_detail(request, pk: int):
    access.require_use(request.user)
    template = get_object_or_404(Template, pk=pk)
    oversees = access.oversees(request.user)
    versions = template.versions.order_by("-number")
    if not oversees:  # a contractor reads what was issued, not drafts or the review
        versions = versions.filter(state__in=[VersionState.ISSUED, VersionState.SUPERSEDED])
    versions = list(versions)
    reviews = {}
    for event in ContractEvent.objects.filter(version__in=versions, code__in=REVIEW_EVENTS).select_related("actor"):
        reviews.setdefault(event.version_id, []).append({"event": event, "label": EVENT_LABELS[event.code]})
    steps = {}
    for version in versions:
        allowed = []
        for move in VERSION_MOVES.available(version.state):
            if move.actor == "agency" and access.in_agency(request.user) or (
                    move.actor == "justice" and access.in_justice(request.user)):  # fmt: skip
                form = ReasonForm(prefix=f"v{version.pk}-{move.code}") if move.actor == "justice" else None
                if form is not None:
                    form.fields["reason"].label = REVIEW_LABELS[move.code]
                    form.fields["reason"].required = move.needs_reason
                allowed.append({"move": move, "form": form})
        steps[version.pk] = allowed
    in_review = template.versions.filter(state=VersionState.REVIEW).exists()
    context = {"template": template, "versions": [(v, steps[v.pk], reviews.get(v.pk, [])) for v in versions],
               "oversees": oversees, "may_draft": access.in_agency(request.user) and not in_review,
               "agency": access.in_agency(request.user)}  # fmt: skip
    return render(request, "contracts/template_detail.html", context)


@login_required
def version_edit(request, pk: int):
    """A new version (pk: the template's) or the draft's changes (pk of a version with ?version=)."""
    template = get_object_or_404(Template, pk=pk)
    access.require_agency(request.user)
    draft = template.versions.filter(state__in=[VersionState.DRAFT, VersionState.RETURNED]).first()
    base = draft or template.versions.order_by("-number").first()
    form = VersionForm(request.POST or None, initial=VersionForm.initial_of(base) if base else None, base=base)

    def write(data):
        clauses = form.clauses()
        if draft is not None:
            return services.version_save(actor=request.user, version=draft, **clauses)
        return services.version_draft(actor=request.user, template=template, **clauses)

    if request.method == "POST":
        done = submitted(request, form, write, _("Saved."), reverse("contracts:template_detail", args=[template.pk]))
        if done is not None:
            return done
    title = _("Change draft version %(n)s") % {"n": draft.number} if draft else _("Draft a new version")
    return form_page(request, form, title=title, back_url=reverse("contracts:template_detail", args=[template.pk]))


@login_required
@require_POST
def version_step(request, pk: int, code: str):
    version = get_object_or_404(TemplateVersion, pk=pk)
    access.require_use(request.user)
    if code not in VERSION_MOVES or code == "supersede":
        raise Http404
    reason = request.POST.get(f"v{version.pk}-{code}-reason", "")
    try:
        services.version_step(actor=request.user, version=version, code=code, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": VERSION_MOVES[code].label})
    return redirect("contracts:template_detail", pk=version.template_id)


# The analysis and the contractors


@login_required
def analysis(request):
    if not access.oversees(request.user):
        raise PermissionDenied(_("The contract analysis is for the agency, the justice bureau and the overseers."))
    found = services.matrix()
    if request.GET.get("format") == "xlsx":
        return _analysis_xlsx(found)
    return _analysis_page(request, found)


def _analysis_page(request, found, *, form=None, import_form=None, status=200):
    agency = access.in_agency(request.user)
    context = {"matrix": found, "gaps": found.gaps(), "delayed": sum(1 for c, _p in found.rows if c.delay_days),
               "form": form or (AnalysedForm() if agency else None),
               "import_form": import_form or (AnalysisImportForm() if agency else None),
               "import_columns": ["、".join(str(LABELS[f]) for f in REQUIRED),
                                  "、".join(str(LABELS[f]) for f in LABELS if f not in REQUIRED)]}  # fmt: skip
    return render(request, "contracts/analysis.html", context, status=status)


def _analysis_xlsx(found):
    """The matrix with every column the import reads, so a downloaded workbook, completed, comes back in."""
    text = {field: str(label) for field, label in LABELS.items()}
    headers = [text["project"], text["owner_kind"], text["owner"], text["contractor"], amount(text["amount"]),
               Column(text["starts_on"]), Column(text["ends_on"]), Column(text["delay_days"]),
               Column(text["settlement_days"]), text["notes"], *[Column(c.name) for c in found.clauses]]  # fmt: skip
    rows = [[c.project, c.get_owner_kind_display(), c.owner, c.contractor, c.amount, c.starts_on, c.ends_on,
             c.delay_days, c.settlement_days, c.notes, *["✓" if has else "✗" for has in present]]
            for c, present in found.rows]  # fmt: skip
    name = _("Construction contract analysis")
    return xlsx_sheets_response(f"{name}.xlsx", [(_("Clause matrix"), headers, rows)])


@login_required
@require_POST
def analysed_add(request):
    access.require_agency(request.user)
    form = AnalysedForm(request.POST)

    def write(data):
        data = dict(data)
        return services.analysed_add(actor=request.user, clauses=list(data.pop("clauses")), **data)

    done = submitted(request, form, write, _("Contract added to the analysis."), reverse("contracts:analysis"))
    if done is not None:
        return done
    return _analysis_page(request, services.matrix(), form=form, status=400)


@login_required
@require_POST
def analysis_import(request):
    access.require_agency(request.user)
    form = AnalysisImportForm(request.POST, request.FILES)

    def write(data):
        upload = data["file"]
        return services.analysed_import(actor=request.user, data=upload.read(MAX_IMPORT_BYTES + 1), name=upload.name)

    def message(added):
        return ngettext("%(n)s contract added to the analysis.", "%(n)s contracts added to the analysis.",
                        len(added)) % {"n": len(added)}  # fmt: skip

    done = submitted(request, form, write, message, reverse("contracts:analysis"))
    if done is not None:
        return done
    return _analysis_page(request, services.matrix(), import_form=form, status=400)


@login_required
def contractor_detail(request, pk: int):
    contractor = get_object_or_404(Contractor, pk=pk)
    contracts = access.contracts_for(request.user).filter(contractor=contractor).order_by("starts_on")
    if not contracts.exists():
        raise Http404
    rows = []
    for contract in contracts:
        summary = services.settlement(contract)
        late = contract.nodes.filter(days__lt=0).count()
        reached = contract.nodes.exclude(actual_on=None).count()
        rows.append({"contract": contract, "summary": summary, "late": late, "reached": reached,
                     "nodes": contract.nodes.count()})  # fmt: skip
    approved = Rating.objects.filter(contract__in=contracts, state=RatingState.APPROVED)
    average = approved.aggregate(s=Sum("total"))["s"]
    mean = (average / approved.count()).quantize(Decimal("0.01")) if approved.exists() else None
    context = {"contractor": contractor, "rows": rows, "ratings": approved.count(), "average": mean}
    return render(request, "contracts/contractor_detail.html", context)
