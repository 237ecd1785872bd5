from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.views import pk_or_404
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit
from duban.reforms import rounds as reform_rounds
from duban.reforms import services as reform_services
from duban.reforms.choices import PanelState, Satisfaction
from duban.reforms.forms import ProposalForm, RatingForm
from duban.reforms.models import Case, ExpertPanel, ProposalCall, RatingRound, Reform, VoteRound

PROPOSALS_PAGE = 30


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
        "page": CappedPaginator(
            call.proposals.select_related("unit", "reform", "merged_into").order_by("created_at", "id"), PROPOSALS_PAGE
        ).get_page(request.GET.get("page")),
        "form": form,
        "may_propose": may_propose,
        "why_not": why_not,
    }
    return render(request, "portal/call_detail.html", context, status=400 if form.errors else 200)


def reforms(request):
    """The district's reforms with their status and progress, by year; anyone may read."""
    years = sorted(set(Reform.objects.values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    shown = Reform.objects.filter(year=year).select_related("lead_unit").prefetch_related("items")
    shown = shown.order_by("level", "id")
    context = {
        "year": year,
        "years": years,
        "page": CappedPaginator(shown, 50).get_page(request.GET.get("page")),
        "rating_rounds": RatingRound.objects.all()[:5],
        "vote_rounds": VoteRound.objects.all()[:5],
        "panels": ExpertPanel.objects.filter(state=PanelState.PUBLISHED)[:5],
        "today": timezone.localdate(),
    }
    return render(request, "portal/reforms.html", context)


def _verified_refusal(user) -> str:
    """Why this visitor cannot take part, or "" when they can."""
    if not user.is_authenticated:
        return ""
    try:
        reform_rounds.require_verified(user)
    except PermissionDenied as refusal:
        return str(refusal)
    return ""


def rating_round(request, pk: int):
    """群众评: the round's key reforms; a verified resident rates each once. Results once it closes."""
    round_ = get_object_or_404(RatingRound, pk=pk)
    today = timezone.localdate()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('resident_login')}?next={request.path}")
        reform = get_object_or_404(round_.reforms, pk=pk_or_404(request.POST.get("reform")))
        form = RatingForm(request.POST)
        street_pk = request.POST.get("street") or ""
        street = Unit.objects.filter(kind=UnitKind.STREET, pk=pk_or_404(street_pk)).first() if street_pk else None
        if form.is_valid():
            try:
                reform_rounds.rating_submit(
                    actor=request.user, round_=round_, reform=reform, level=form.cleaned_data["level"], street=street
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Thank you for your rating."))
        else:
            messages.error(request, _("Choose one of the answers."))
        return redirect("portal:rating_round", pk=pk)
    rated = set()
    if request.user.is_authenticated:
        rated = set(round_.ratings.filter(user=request.user).values_list("reform_id", flat=True))
    context = {
        "round": round_,
        "is_open": round_.is_open(today),
        "reforms": round_.reforms.select_related("lead_unit"),
        "rated": rated,
        "levels": Satisfaction.choices,
        "streets": Unit.objects.active().filter(kind=UnitKind.STREET).order_by("sort_order", "name"),
        "results": reform_rounds.rating_results(round_) if today > round_.closes_on else None,
        "may_rate": getattr(request.user, "is_verified_resident", False),
    }
    return render(request, "portal/rating_round.html", context)


def vote_round(request, pk: int):
    """大家评: candidates and, for a verified person, a vote on each up to the round's limit."""
    round_ = get_object_or_404(VoteRound, pk=pk)
    today = timezone.localdate()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('resident_login')}?next={request.path}")
        reform = get_object_or_404(round_.candidates, pk=pk_or_404(request.POST.get("reform")))
        try:
            reform_rounds.vote_cast(actor=request.user, round_=round_, reform=reform)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your vote for %(title)s is counted.") % {"title": reform.title})
        return redirect("portal:vote_round", pk=pk)
    voted = set()
    if request.user.is_authenticated:
        voted = set(round_.votes.filter(user=request.user).values_list("reform_id", flat=True))
    context = {
        "round": round_,
        "is_open": round_.is_open(today),
        "candidates": round_.candidates.select_related("lead_unit"),
        "voted": voted,
        "left": round_.votes_per_person - len(voted),
        "results": reform_rounds.vote_results(round_) if today > round_.closes_on else None,
        "why_not": _verified_refusal(request.user),
    }
    return render(request, "portal/vote_round.html", context)


def panel_results(request, pk: int):
    """The third-party evaluation's published ranking and the year's excellent projects."""
    panel = get_object_or_404(ExpertPanel, pk=pk, state=PanelState.PUBLISHED)
    return render(request, "portal/panel_results.html", {"panel": panel, "results": reform_rounds.panel_results(panel)})


def cases(request):
    """The published case library (成果提炼)."""
    published = (
        Case.objects.filter(published_at__isnull=False).select_related("reform").order_by("-published_at", "-id")
    )
    return render(
        request, "portal/cases.html", {"page": CappedPaginator(published, 20).get_page(request.GET.get("page"))}
    )


def case_detail(request, pk: int):
    case = get_object_or_404(Case.objects.select_related("reform"), pk=pk, published_at__isnull=False)
    return render(request, "portal/case_detail.html", {"case": case})
