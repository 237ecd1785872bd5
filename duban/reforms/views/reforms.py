"""The reform pages: the list, registering and editing, and the reform's page with its
decomposition, adjustments (改革深化) and look-backs (回头看)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.views import form_page
from duban.ledger.models import ItemEvent, Notice
from duban.ledger.services import events
from duban.reforms import access, services
from duban.reforms.choices import AdjustmentState
from duban.reforms.forms import AdjustmentForm, DecisionForm, LookBackForm, MilestonesForm, ReformFilterForm, ReformForm
from duban.reforms.models import Reform, ReformAdjustment

PAGE_SIZE = 50


@login_required
def reform_list(request):
    access.require_reader(request.user)
    today = timezone.localdate()
    filters = request.GET.copy()
    filters.pop("page", None)
    form = ReformFilterForm(filters or None)
    reforms = form.apply(Reform.objects.select_related("lead_unit").prefetch_related("lead_leaders", "items"), today)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or today.year
    unlinked = filters.copy()
    for name in ReformFilterForm.LINKED:
        unlinked.pop(name, None)
    context = {
        "form": form,
        "page": CappedPaginator(reforms.order_by("-year", "level", "id"), PAGE_SIZE).get_page(request.GET.get("page")),
        "year": year,
        "can_manage": access.can_manage_reforms(request.user),
        "linked": form.linked_filters(),
        "unlinked": unlinked.urlencode(),
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
        "rules_in_effect": services.rules_in_effect(reform),
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
