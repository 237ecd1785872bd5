from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.forms import add_service_errors
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit
from duban.reforms import services as reform_services
from duban.reforms.forms import ProposalForm
from duban.reforms.models import ProposalCall


def home(request):
    """The district's public home page; its figures are counted from the unit tree."""
    district = Unit.objects.active().filter(kind=UnitKind.DISTRICT).first()
    counts = {}
    if district is not None:
        below = Unit.objects.active().subtree(district)
        counts = {
            "streets": below.filter(kind=UnitKind.STREET).count(),
            "communities": below.filter(kind=UnitKind.COMMUNITY).count(),
            "departments": below.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMISSION]).count(),
        }
    return render(request, "portal/home.html", {"district": district, "counts": counts})


def calls(request):
    """Calls for reform proposals, open ones first; anyone may read."""
    today = timezone.localdate()
    all_calls = list(ProposalCall.objects.all())
    open_calls = [call for call in all_calls if call.is_open(today)]
    closed = [call for call in all_calls if not call.is_open(today)]
    return render(request, "portal/calls.html", {"open_calls": open_calls, "closed_calls": closed, "today": today})


def call_detail(request, pk: int):
    """A call, its proposals and the office's public answers; a verified person may propose while
    it is open. Proposers are shown by kind (resident) or unit, never by name or contact."""
    call = get_object_or_404(ProposalCall, pk=pk)
    today = timezone.localdate()
    form = ProposalForm(request.POST or None)
    may_propose, why_not = False, ""
    if request.user.is_authenticated:
        try:
            reform_services.proposer_of(request.user)
            may_propose = True
        except PermissionDenied as refusal:
            why_not = str(refusal)
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied(why_not)
        if form.is_valid():
            try:
                reform_services.proposal_submit(actor=request.user, call=call, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you: your proposal is published and the office will answer it here.")
                )
                return redirect("portal:call_detail", pk=call.pk)
    context = {
        "call": call,
        "is_open": call.is_open(today),
        "proposals": call.proposals.select_related("unit", "reform", "merged_into"),
        "form": form,
        "may_propose": may_propose,
        "why_not": why_not,
    }
    return render(request, "portal/call_detail.html", context, status=400 if form.errors else 200)
