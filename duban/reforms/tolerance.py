"""容错纠错: applying, accepting, investigating and deciding collectively, the written notice, one
appeal, and the result applied. Each step goes through `tolerance_transition`, which checks the
transition table, locks the case and records the step in the case's history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.official import chinese_date, official_docx
from duban.core.workdays import add_working_days, moment
from duban.ledger import access as ledger_access
from duban.ledger.models import Item
from duban.orgs import access as org_access
from duban.orgs.models import Unit, User
from duban.reforms.choices import (
    CONDITIONS,
    DISTINCTIONS,
    TOLERANCE_MOVES,
    ToleranceDecision,
    ToleranceState,
)
from duban.reforms.models import Reform, ToleranceCase

APPEAL_WORKING_DAYS = 5


def acts_for(user: User | None, unit: Unit) -> bool:
    """The applicant's side: someone of the unit (or above it); `None` is the system."""
    return user is None or any(unit.is_within(root) for root in org_access.scope_roots(user))


def decides(user: User | None) -> bool:
    """The deciding side (纪委, organisation department, the office): supervisors and office admins."""
    return user is None or ledger_access.is_supervisor(user)


@transaction.atomic
def tolerance_apply(
    *, actor: User | None, unit: Unit, title: str, facts: str, year: int, at=None, **links
) -> ToleranceCase:
    if not acts_for(actor, unit):
        raise PermissionDenied(_("A unit applies for its own setbacks."))
    at, _today = moment(at)
    if not title.strip() or not facts.strip():
        raise ValidationError(_("Name the setback and set out the facts."))
    case = ToleranceCase(
        unit=unit, title=title.strip(), facts=facts.strip(), year=year, created_at=at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, **links,
    )  # fmt: skip
    case.full_clean()
    save_with_history(case, actor=actor, reason="reforms.tolerance.applied")
    return case


@transaction.atomic
def tolerance_transition(*, actor: User | None, case: ToleranceCase, target: str, at=None, **data) -> ToleranceCase:
    """The one way a case changes state. Refused steps change nothing."""
    at, today = moment(at)
    case = ToleranceCase.objects.select_for_update().get(pk=case.pk)
    step = TOLERANCE_MOVES.check_target(case.state, target)
    if step.actor == "applicant" and not acts_for(actor, case.unit):
        raise PermissionDenied(_("Only the applying unit appeals."))
    if step.actor == "decider" and not decides(actor):
        raise PermissionDenied(_("Cases are accepted and decided by the discipline body or the office."))
    if target == ToleranceState.DECLINED:
        _require(data, "reasons", _("Say why the application is not accepted."))
        case.reasons = data["reasons"].strip()
    elif target == ToleranceState.DECIDED:
        _decide(case, data)
        case.decided_at = at
        case.appeal_due = add_working_days(today, APPEAL_WORKING_DAYS)
    elif target == ToleranceState.APPEALED:
        if today > case.appeal_due:
            raise ValidationError(_("The time to appeal ended on %(date)s.") % {"date": case.appeal_due})
        _require(data, "appeal", _("Set out the grounds of the appeal."))
        case.appeal = data["appeal"].strip()
    elif target == ToleranceState.FINAL:
        if case.state == ToleranceState.DECIDED and today <= case.appeal_due:
            raise ValidationError(_("The decision becomes final once the time to appeal has passed."))
        if case.state == ToleranceState.APPEALED:  # the review: the decision is upheld or changed
            _decide(case, {**_current(case), **data})
    case.state = target
    case.full_clean()
    save_with_history(case, actor=actor, reason=f"reforms.tolerance.{target}")
    return case


def _require(data: dict, name: str, message: str) -> None:
    if not str(data.get(name) or "").strip():
        raise ValidationError({name: message})


def _current(case: ToleranceCase) -> dict:
    return {
        "findings": case.findings, "distinctions": case.distinctions, "conditions": case.conditions,
        "decision": case.decision, "reasons": case.reasons, "meeting": case.meeting,
        "correction_plan": case.correction_plan,
    }  # fmt: skip


def _decide(case: ToleranceCase, data: dict) -> None:
    """A collective decision on the investigated facts. Exemption needs every condition and
    every distinction to hold; a decision other than exemption comes with a correction plan."""
    _require(data, "findings", _("Record what the investigation found."))
    _require(data, "meeting", _("Name the meeting that decided collectively."))
    _require(data, "reasons", _("Give the reasons for the decision."))
    distinctions, conditions = data.get("distinctions") or {}, data.get("conditions") or {}
    if set(distinctions) != set(DISTINCTIONS) or set(conditions) != set(CONDITIONS):
        raise ValidationError(_("Assess each of the three distinctions and each condition."))
    decision = data.get("decision")
    if decision not in ToleranceDecision.values:
        raise ValidationError({"decision": _("Exempt, treat lightly or refuse.")})
    if decision == ToleranceDecision.EXEMPTED and not (all(distinctions.values()) and all(conditions.values())):
        raise ValidationError({"decision": _("Exemption needs every condition and every distinction to hold.")})
    if decision != ToleranceDecision.EXEMPTED:
        _require(data, "correction_plan", _("Set the correction required."))
    case.findings = data["findings"].strip()
    case.meeting = data["meeting"].strip()
    case.reasons = data["reasons"].strip()
    case.distinctions = {key: bool(distinctions[key]) for key in DISTINCTIONS}
    case.conditions = {key: bool(conditions[key]) for key in CONDITIONS}
    case.decision = decision
    case.correction_plan = str(data.get("correction_plan") or "").strip()


def exempted_item_ids(year: int) -> set[int]:
    """The ledger items of reforms whose setback in `year` was finally exempted (the reform's own
    item and its milestones, in whichever year's ledger): the appraisal deducts nothing for them."""
    exempted = ToleranceCase.objects.filter(
        year=year, state=ToleranceState.FINAL, decision=ToleranceDecision.EXEMPTED, reform__isnull=False
    ).values("reform_id")
    return set(Item.objects.for_subjects(Reform.objects.filter(pk__in=exempted)).values_list("pk", flat=True))


def notice_docx(case: ToleranceCase, today: dt.date) -> bytes:
    """The written notice (书面告知) of the decision, with the reasons and the right of appeal."""
    paragraphs = [
        f"关于“{case.title}”的容错免责申请，经调查核实并于{case.meeting}集体研究，认定结果为：{case.get_decision_display()}。",
        f"理由：{case.reasons}",
    ]
    if case.correction_plan:
        paragraphs.append(f"纠错要求：{case.correction_plan}")
    if case.appeal_due:
        paragraphs.append(f"如对认定结果有异议，可于{chinese_date(case.appeal_due)}前书面提出申诉。")
    return official_docx(
        title="容错纠错认定结果告知书",
        number="",
        recipient=case.unit.name,
        paragraphs=paragraphs,
        issuer="中共深圳市罗湖区纪委监委",
        date=today,
    )
