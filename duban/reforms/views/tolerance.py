"""Error-tolerance cases (容错纠错): applying, the steps of the case and the written notice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.views import form_page
from duban.orgs import access as org_access
from duban.orgs.models import Unit
from duban.reforms import tolerance
from duban.reforms.choices import ToleranceState
from duban.reforms.forms import ToleranceApplyForm, ToleranceDecisionForm
from duban.reforms.models import ToleranceCase


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
    # A unit applies for its own setbacks (tolerance_apply): someone posted in one.
    may_apply = bool(org_access.scope_roots(request.user))
    page = CappedPaginator(cases, 50).get_page(request.GET.get("page"))
    return render(request, "reforms/tolerance_list.html", {"page": page, "may_apply": may_apply})


@login_required
def tolerance_new(request):
    org_access.require_official(request.user)
    roots = org_access.scope_roots(request.user)
    if not roots:
        raise PermissionDenied(_("A unit applies for its own setbacks."))
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
        title=_("Apply for error tolerance"),
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
