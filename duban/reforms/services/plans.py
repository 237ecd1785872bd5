"""The annual plan (深改委工作要点): the year's reforms, fixed when the commission approves it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.orgs.models import User
from duban.reforms.access import check_manager
from duban.reforms.choices import PLAN_LEVELS, PLAN_MOVES, PlanState
from duban.reforms.models import AnnualPlan, Reform


def plan_of(year: int) -> AnnualPlan:
    """The year's plan, a draft until the commission approves it (unsaved until then: reading a
    year's plan writes nothing)."""
    return AnnualPlan.objects.filter(year=year).first() or AnnualPlan(
        year=year, title=f"中共深圳市罗湖区委全面深化改革委员会{year}年工作要点"
    )


def plan_reforms(plan: AnnualPlan) -> list[Reform]:
    """The plan's reforms: as approved, or (a draft) the year's reforms at plan level, by group."""
    reforms = Reform.objects.select_related("lead_unit").prefetch_related("lead_leaders", "co_units")
    if plan.state == PlanState.APPROVED:
        reforms = reforms.filter(pk__in=plan.reform_ids)
    else:
        reforms = reforms.in_plan(plan.year)
    return sorted(reforms, key=lambda r: (r.group, PLAN_LEVELS.index(r.level), r.pk))


def plan_added_since_approval(plan: AnnualPlan) -> list[Reform]:
    if plan.state != PlanState.APPROVED:
        return []
    return list(Reform.objects.in_plan(plan.year).exclude(pk__in=plan.reform_ids))


@transaction.atomic
def plan_approve(
    *, actor: User | None, plan: AnnualPlan, meeting: str, approved_on: dt.date, document_number: str = ""
) -> AnnualPlan:
    """Record the commission's approval; the plan's list of reforms is fixed from then on."""
    check_manager(actor)
    plan, _created = AnnualPlan.objects.select_for_update().get_or_create(
        year=plan.year, defaults={"title": plan.title}
    )
    PLAN_MOVES.check_target(plan.state, PlanState.APPROVED)
    reforms = plan_reforms(plan)
    if not reforms:
        raise ValidationError(_("The plan lists no reforms yet."))
    if not meeting.strip():
        raise ValidationError({"meeting": _("Name the meeting that approved the plan.")})
    plan.state = PlanState.APPROVED
    plan.meeting = meeting.strip()
    plan.approved_on = approved_on
    plan.document_number = document_number.strip()
    plan.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    plan.reform_ids = [reform.pk for reform in reforms]
    plan.full_clean()
    save_with_history(plan, actor=actor, reason="reforms.plan.approved")
    return plan
