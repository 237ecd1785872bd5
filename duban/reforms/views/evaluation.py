"""Evaluation: rating rounds (群众评), voting rounds (大家评), expert panels (第三方评估) and the
experts' scoring sheets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.forms import add_service_errors
from duban.core.views import form_page, pk_or_404
from duban.reforms import access, rounds
from duban.reforms.choices import PanelState, Satisfaction
from duban.reforms.forms import CriteriaForm, MemberForm, PanelForm, RatingRoundForm, VoteRoundForm
from duban.reforms.models import ExpertPanel, RatingRound, VoteRound


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
    "rating": (RatingRoundForm, rounds.rating_round_create, "reforms", gettext_lazy("Open a rating round")),
    "vote": (VoteRoundForm, rounds.vote_round_create, "candidates", gettext_lazy("Open a voting round")),
    "panel": (PanelForm, rounds.panel_create, "candidates", gettext_lazy("Set up an expert panel")),
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
        raise PermissionDenied(_("Only the panel's experts score."))
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
