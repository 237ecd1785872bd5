"""合同签订 and the reviews: a contract from the standard template with its three milestones
(开题, 中期, 结题), each a ledger item of the commissioning unit so lateness lights up and climbs
the ladder, and instalments tied to milestones, each paid only once its milestone is accepted. A
review's published grade moves its milestone: 合格 or better accepts it; 不合格 returns it; a final
review failed once gets one revision, failed again the research is not accepted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_transition, items_register, ledger_of_year
from duban.orgs.models import User
from duban.research import access
from duban.research.choices import PROJECT_MOVES, REVIEW_STAGES, Grade, ProjectState, Stage
from duban.research.models import Contract, Instalment, Milestone, Panel, Project, ResearchSettings
from duban.research.services.events import event_write

# Standard template clauses (《深圳市罗湖区委托课题管理办法（试行）》's contract).
CONFIDENTIALITY = ("承担单位对研究过程中获取的内部资料负有保密义务，未经委托方书面同意，不得向第三方提供或公开发表；"
                   "成果公开前须经委托方审核。")  # fmt: skip
OWNERSHIP = "研究成果的著作权归委托方所有，承担单位署名权依法保留；委托方有权在本区范围内无偿使用、转化和推广研究成果。"


def research_ledger(year: int) -> Ledger:
    """The year's ledger of research milestones, opened by the research centre when first needed."""
    centre = ResearchSettings.current().centre
    if centre is None:
        raise ValidationError(_("Set the research centre's unit in the research settings first."))
    return ledger_of_year(kind=LedgerKind.RESEARCH, year=year, owner_unit=centre, name=f"{year}年委托课题节点台账",
                          number_prefix="罗研节")  # fmt: skip


def item_of(milestone: Milestone) -> Item | None:
    return Item.objects.for_subject(milestone).order_by("-pk").first()


@transaction.atomic
def contract_sign(
    *, actor: User | None, project: Project, number: str, amount, signed_on: dt.date, deliverables: str,
    due: dict[str, dt.date], instalments: dict[str, Decimal], at=None,
) -> Contract:  # fmt: skip
    """The contract with the chosen body: an amount within the budget cap, the three milestones in
    order after signing, and instalments tied to them adding up to the amount."""
    at, today = moment(at)
    if actor is not None:
        access.require_centre(actor)
    project = Project.objects.select_for_update(of=("self",)).select_related("topic__unit").get(pk=project.pk)
    step = PROJECT_MOVES.check(project.state, "sign")
    amount = Decimal(amount)
    if amount <= 0 or amount > project.budget_cap:
        raise ValidationError({"amount": _("The contract amount is more than zero and within the budget cap of "
                                           "%(cap)s yuan.") % {"cap": project.budget_cap}})  # fmt: skip
    if signed_on > today:
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    dates = [due.get(stage) for stage in REVIEW_STAGES]
    if None in dates or not signed_on < dates[0] < dates[1] < dates[2]:
        raise ValidationError({"due": _("The opening, mid-term and final dates follow each other after signing.")})
    paid = {stage: Decimal(instalments.get(stage) or 0) for stage in REVIEW_STAGES}
    if any(value < 0 for value in paid.values()) or sum(paid.values()) != amount:
        raise ValidationError({"instalments": _("The instalments add up to the contract amount.")})
    contract = Contract(project=project, number=number.strip(), amount=amount, signed_on=signed_on,
                        deliverables=deliverables.strip(), confidentiality=CONFIDENTIALITY, ownership=OWNERSHIP,
                        signed_by=actor, created_at=at)  # fmt: skip
    contract.full_clean()
    contract.save()
    milestones = [Milestone.objects.create(contract=contract, stage=stage, due_on=due[stage], created_at=at)
                  for stage in REVIEW_STAGES]  # fmt: skip
    for milestone in milestones:
        if paid[milestone.stage]:
            Instalment.objects.create(contract=contract, milestone=milestone, amount=paid[milestone.stage],
                                      created_at=at)  # fmt: skip
    ledger = research_ledger(timezone.localtime(at).year)
    specs = [
        {"title": f"{project.title}：{m.get_stage_display()}", "lead_unit": project.topic.unit, "deadline": m.due_on,
         "subject": m, "external_id": f"research.milestone.{m.pk}", "category": _("Commissioned research"),
         "content": _("%(stage)s of %(number)s by %(contractor)s, contract %(contract)s.") % {
             "stage": m.get_stage_display(), "number": project.number, "contractor": project.contractor,
             "contract": contract.number}}
        for m in milestones
    ]  # fmt: skip
    for item in items_register(actor=actor, ledger=ledger, specs=specs, at=at, owner_rule=True):
        item_transition(actor=actor, item=item, action="assign", at=at, owner_rule=True)
    before = project.state
    project.state = step.target
    save_with_history(project, actor=actor, reason=step.event)
    event_write(project, actor, step.event, at, before=before, after=project.state, contract=contract.number)
    return contract


def _move_item(milestone: Milestone, actions: list[str], *, actor, at, reason: str = "") -> None:
    item = item_of(milestone)
    for action in actions:
        if item is None:
            return
        if action == "acknowledge" and item.state != ItemState.ASSIGNED:
            continue
        if action == "start" and item.state != ItemState.RETURNED:
            continue
        item = item_transition(actor=actor, item=item, action=action, reason=reason, at=at, owner_rule=True)


@transaction.atomic
def milestone_deliver(*, actor: User | None, milestone: Milestone, at=None) -> Milestone:
    """The deliverable of a milestone (开题报告, 中期报告, 结题报告) is in: its item goes for review."""
    at, _today = moment(at)
    if actor is not None:
        access.require_centre(actor)
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("contract__project").get(pk=milestone.pk)
    )
    project = milestone.contract.project
    if project.state not in (ProjectState.RESEARCHING, ProjectState.REVISING):
        raise ValidationError(_("Deliverables come in while the research is under way."))
    if milestone.accepted_at is not None or milestone.delivered_at is not None:
        raise ValidationError(_("This deliverable is already in."))
    earlier = milestone.contract.milestones.filter(due_on__lt=milestone.due_on, accepted_at__isnull=True)
    if earlier.exists():
        raise ValidationError(_("The earlier stage is not accepted yet."))
    milestone.delivered_at = at
    milestone.save(update_fields=["delivered_at", "updated_at"])
    _move_item(milestone, ["acknowledge", "start", "submit"], actor=actor, at=at,
               reason=_("Delivered: %(stage)s") % {"stage": milestone.get_stage_display()})  # fmt: skip
    event_write(project, actor, "research.milestone.delivered", at, stage=milestone.stage)
    return milestone


def review_outcome(panel: Panel, *, actor, at) -> None:
    """A review's published grade: 合格 or better accepts the milestone (and a final one accepts the
    research with its grade); 不合格 sends the deliverable back; a final review failed twice ends it."""
    project = Project.objects.select_for_update().get(pk=panel.project_id)
    milestone = Milestone.objects.select_for_update().get(contract__project=project, stage=panel.stage)
    passed = panel.grade != Grade.FAIL
    if passed:
        milestone.accepted_at = at
        milestone.save(update_fields=["accepted_at", "updated_at"])
        _move_item(milestone, ["accept", "close"], actor=actor, at=at)
    else:
        milestone.delivered_at = None
        milestone.save(update_fields=["delivered_at", "updated_at"])
        reason = _("Graded %(grade)s at the %(stage)s.") % {"grade": panel.get_grade_display(),
                                                             "stage": panel.get_stage_display()}  # fmt: skip
        ends = panel.stage == Stage.FINAL and project.state == ProjectState.REVISING  # failed after its revision
        _move_item(milestone, ["return", "cancel"] if ends else ["return"], actor=actor, at=at, reason=reason)
    if panel.stage != Stage.FINAL:
        return
    code = "accept" if passed else ("fail" if project.state == ProjectState.REVISING else "revise")
    before = project.state
    step = PROJECT_MOVES.check(project.state, code)
    project.state = step.target
    if passed:
        project.grade = panel.grade
    save_with_history(project, actor=actor, reason=step.event)
    event_write(project, actor, step.event, at, before=before, after=project.state, grade=panel.grade)


@transaction.atomic
def instalment_pay(
    *, actor: User | None, instalment: Instalment, paid_on: dt.date, voucher: str, at=None
) -> Instalment:
    """An instalment is paid only once its milestone is accepted, and once."""
    at, today = moment(at)
    if actor is not None:
        access.require_centre(actor)
    found = Instalment.objects.select_for_update(of=("self",)).select_related("milestone", "contract__project")
    instalment = found.get(pk=instalment.pk)
    if instalment.paid_on is not None:
        raise ValidationError(_("This instalment is already paid."))
    if instalment.milestone.accepted_at is None:
        raise ValidationError(_("An instalment is paid only once its milestone (%(stage)s) is accepted.")
                              % {"stage": instalment.milestone.get_stage_display()})  # fmt: skip
    if paid_on > today or not voucher.strip():
        raise ValidationError(_("Give the payment date (not in the future) and the voucher number."))
    instalment.paid_on, instalment.voucher, instalment.paid_by = paid_on, voucher.strip(), actor
    instalment.save()
    event_write(instalment.contract.project, actor, "research.instalment.paid", at, amount=str(instalment.amount),
                stage=instalment.milestone.stage)  # fmt: skip
    return instalment
