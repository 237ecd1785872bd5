"""Commissioned research: the calls for topics and their decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.forms import add_service_errors
from duban.orgs import access as org_access
from duban.orgs.choices import UnitKind
from duban.research import access, services
from duban.research.choices import (
    CALL_MOVES,
    CallState,
    TopicState,
)
from duban.research.forms import (
    CallForm,
    DecisionForm,
    TopicForm,
)
from duban.research.models import TopicCall
from duban.research.views.common import _fail


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
