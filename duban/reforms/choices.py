from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class ReformLevel(models.TextChoices):
    NATIONAL = "national", _("National task assigned to the district")
    PROVINCIAL = "provincial", _("Provincial task assigned to the district")
    MUNICIPAL = "municipal", _("Municipal task assigned to the district")
    KEY = "key", _("District key reform")
    MICRO = "micro", _("Micro-reform")


class ReformStage(models.TextChoices):
    """Where a reform stands, read from its own ledger item (`Reform.item`): not decomposed yet, open
    within its deadline, open past it, or finished (done or closed). A reform whose item is a draft or
    cancelled is at none of them."""

    NEW = "new", _("Not decomposed")
    UNDER_WAY = "under_way", _("Under way, within the deadline")
    OVERDUE = "overdue", _("Overdue")
    FINISHED = "finished", pgettext_lazy("reform", "Finished")


# Tasks assigned from above: the three-level rule puts them under the leader in charge of the domain.
ASSIGNED_LEVELS = (ReformLevel.NATIONAL, ReformLevel.PROVINCIAL, ReformLevel.MUNICIPAL)
# The levels the annual plan lists: micro-reforms are run by units, not listed in the plan.
PLAN_LEVELS = (*ASSIGNED_LEVELS, ReformLevel.KEY)


class SpecialGroup(models.TextChoices):
    """The reform commission's special groups (专项小组)."""

    PARTY_BUILDING = "party_building", _("Party building and discipline")
    GOVERNMENT = "government", _("Government functions and services")
    DEVELOPMENT_SPACE = "development_space", _("Development space and urban renewal")
    PUBLIC_SERVICES = "public_services", _("Public services and livelihoods")
    INDUSTRY = "industry", _("Industry and the business environment")
    GRASSROOTS = "grassroots", _("Grassroots governance")
    ECOLOGY = "ecology", _("Ecology and the environment")


class AdjustmentState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the reform commission")


class ProposalSource(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    DEPARTMENT = "department", _("Department")
    STREET = "street", _("Street")


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting an answer")
    ADOPTED = "adopted", _("Adopted into the plan")
    MERGED = "merged", _("Merged with another proposal")
    DECLINED = "declined", _("Declined")


class Satisfaction(models.TextChoices):
    """群众评: the five levels and "don't know", which counts in no denominator."""

    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY = "fairly", _("Fairly satisfied")
    NEUTRAL = "neutral", _("Neither")
    FAIRLY_NOT = "fairly_not", _("Not very satisfied")
    NOT = "not", _("Not satisfied")
    UNKNOWN = "unknown", _("Don't know")


SATISFIED_LEVELS = (Satisfaction.SATISFIED, Satisfaction.FAIRLY)

# The third-party index by default (针对性/创新性/实效性); editable per panel, weights summing to 100.
DEFAULT_CRITERIA = [
    {"code": "targeting", "name": "针对性", "weight": 30},
    {"code": "innovation", "name": "创新性", "weight": 30},
    {"code": "effect", "name": "实效性", "weight": 40},
]


class PanelState(models.TextChoices):
    SCORING = "scoring", _("Scoring")
    PUBLISHED = "published", _("Results published")


class LookBackOutcome(models.TextChoices):
    """回头看: what became of an earlier year's reform."""

    SUSTAINED = "sustained", _("Sustained")
    INSTITUTIONALISED = "institutionalised", _("Institutionalised in rules")
    REPLICATED = "replicated", _("Replicated elsewhere")
    RELAPSED = "relapsed", _("Relapsed")


class BonusKind(models.TextChoices):
    """Bonuses the office records for the annual appraisal (the excellent-reform bonus is counted
    from the published expert panels)."""

    ADOPTED_UPWARD = "adopted_upward", _("Reform adopted by a higher level")
    NATIONAL = "national", _("National recognition")
    PROVINCIAL = "provincial", _("Provincial recognition")
    MUNICIPAL = "municipal", _("Municipal recognition")


# The annual appraisal's rules by default ("无改革要扣分，好改革要加分"); editable per year.
DEFAULT_APPRAISAL_RULES = {
    "base": 100,
    "bonus_cap": 10,
    "floor": 0,
    "excellent_reform": 3,
    "adopted_upward": 3,
    "national": 5,
    "provincial": 3,
    "municipal": 1,
    "no_reform": 5,
    "grades": [[105, "好"], [100, "较好"], [90, "一般"]],
}


class ToleranceState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted, under investigation")
    DECLINED = "declined", _("Not accepted")
    DECIDED = "decided", _("Decided and notified")
    APPEALED = "appealed", _("Appealed")
    FINAL = "final", _("Final")


T = ToleranceState
TOLERANCE_MOVES = Table(
    ToleranceState,
    [
        move("accept", _("Accept"), {T.APPLIED}, T.ACCEPTED, "decider"),
        move("decline", _("Do not accept"), {T.APPLIED}, T.DECLINED, "decider"),
        move("decide", T.DECIDED.label, {T.ACCEPTED}, T.DECIDED, "decider"),
        move("appeal", _("Appeal"), {T.DECIDED}, T.APPEALED, "applicant"),
        move("finalise", T.FINAL.label, {T.DECIDED, T.APPEALED}, T.FINAL, "decider"),
    ],
)


class ToleranceDecision(models.TextChoices):
    EXEMPTED = "exempted", _("Exempted from accountability")
    LIGHTER = "lighter", _("Lighter treatment")
    NOT_TOLERATED = "not_tolerated", _("Not tolerated")


# 三个区分开来 and the cumulative conditions of local 容错纠错 rules.
DISTINCTIONS = {
    "pilot": _("An error of inexperience in a pilot reform, not a deliberate violation"),
    "unbanned": _("Exploration not yet restricted by superiors, not acting after an explicit ban"),
    "public_interest": _("An unintentional mistake to promote development, not a violation for private gain"),
}
CONDITIONS = {
    "no_private_gain": _("No private gain for the person, others or the unit"),
    "procedure_followed": _("A collective or democratic decision procedure was followed"),
    "losses_remedied": _("No major loss, or the losses were actively remedied"),
}


# Each state change of these records goes through its service, which checks its table.
ADJUSTMENT_MOVES = Table(
    AdjustmentState,
    [
        move("approve", _("Approve"), {AdjustmentState.PENDING}, AdjustmentState.APPROVED),
        move("reject", _("Reject"), {AdjustmentState.PENDING}, AdjustmentState.REJECTED),
    ],
)
PLAN_MOVES = Table(PlanState, [move("approve", PlanState.APPROVED.label, {PlanState.DRAFT}, PlanState.APPROVED)])
PROPOSAL_MOVES = Table(
    ProposalState,
    [
        move(state, ProposalState(state).label, {ProposalState.SUBMITTED}, state)
        for state in (ProposalState.ADOPTED, ProposalState.MERGED, ProposalState.DECLINED)
    ],
)
PANEL_MOVES = Table(PanelState, [move("publish", _("Publish the results"), {PanelState.SCORING}, PanelState.PUBLISHED)])
