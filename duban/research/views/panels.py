"""Commissioned research: the expert panels and their scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.research import access, services
from duban.research.forms import (
    ScoreForm,
)
from duban.research.models import Panel
from duban.research.views.common import _fail


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
