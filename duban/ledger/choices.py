"""States, actions, ladders and labels of the closed-loop ledger (台账闭环)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class LedgerKind(models.TextChoices):
    AUDIT = "audit", _("Audit rectification")
    REFORM = "reform", _("Reform tasks")
    CAMPAIGN = "campaign", _("Special campaign")
    RULES = "rules", _("Rule revision")
    RESEARCH = "research", _("Commissioned research")
    CONTRACT = "contract", _("Contract milestones")
    FLEET = "fleet", _("Official car upkeep")
    PAYMENTS = "payments", _("Treasury payment supplements")
    RENEWAL = "renewal", _("Urban-renewal mediation periods")
    GENERAL = "general", _("General supervision")


class ItemState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSIGNED = "assigned", _("Assigned")  # 交办: a numbered notice went to the units
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")  # 签收
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted for review")  # 办结报告 with evidence
    RETURNED = "returned", _("Returned for rework")  # 退回重办
    DONE = "done", _("Done")  # the review accepted the report
    CLOSED = "closed", _("Closed")  # 销号
    CANCELLED = "cancelled", _("Cancelled")
    CARRIED_OVER = "carried_over", _("Carried over to next year")  # 年末结转: continues in a new item


OPEN_STATES = {
    ItemState.ASSIGNED,
    ItemState.ACKNOWLEDGED,
    ItemState.IN_PROGRESS,
    ItemState.SUBMITTED,
    ItemState.RETURNED,
}
FINISHED_STATES = {ItemState.DONE, ItemState.CLOSED}
# What year-end carry-over continues: open items not awaiting review (a submitted completion report
# is reviewed, and closed out, in the ledger it was submitted to).
CARRIED_STATES = OPEN_STATES - {ItemState.SUBMITTED}
# States after which an item no longer changes, except a closed item reopened by a look-back.
ENDED_STATES = {ItemState.CLOSED, ItemState.CANCELLED, ItemState.CARRIED_OVER}


class Actor(models.TextChoices):
    """Who may perform an action, checked by ledger.access against the item."""

    OFFICE = "office", _("the supervising office")
    UNIT = "unit", _("the responsible unit")
    REVIEWER = "reviewer", _("a reviewer outside the responsible unit")
    YEAR_END = "year_end", _("the office's year-end carry-over")  # never one item at a time
    IMPORT = "import", _("the import of an office's own ledger")  # never from an item's page


S = ItemState
# The transition table: every state change of an item is one of these moves. `confirm` marks the
# irreversible ones, which the item page asks about first, with a verification opinion.
ACTIONS = Table(
    ItemState,
    [
        move("assign", _("Assign"), {S.DRAFT}, S.ASSIGNED, Actor.OFFICE, event="ledger.item.assigned"),
        move("acknowledge", _("Acknowledge"), {S.ASSIGNED}, S.ACKNOWLEDGED, Actor.UNIT,
             event="ledger.item.acknowledged"),
        move("start", _("Start work"), {S.ACKNOWLEDGED, S.RETURNED}, S.IN_PROGRESS, Actor.UNIT,
             event="ledger.item.started"),
        move("submit", _("Submit for review"), {S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED}, S.SUBMITTED, Actor.UNIT,
             needs_reason=True, event="ledger.item.submitted"),
        move("return", _("Return for rework"), {S.SUBMITTED}, S.RETURNED, Actor.REVIEWER, needs_reason=True,
             confirm=True, event="ledger.item.returned"),
        move("accept", _("Accept as done"), {S.SUBMITTED}, S.DONE, Actor.REVIEWER, confirm=True,
             event="ledger.item.accepted"),
        move("close", _("Close"), {S.DONE}, S.CLOSED, Actor.REVIEWER, confirm=True, event="ledger.item.closed"),
        move("reopen", _("Reopen after look-back"), {S.DONE, S.CLOSED}, S.IN_PROGRESS, Actor.REVIEWER,
             needs_reason=True, event="ledger.item.reopened"),
        move("carry_over", _("Carry over to next year"), CARRIED_STATES, S.CARRIED_OVER, Actor.YEAR_END,
             confirm=True, event="ledger.item.carried_over"),
        # An office's own ledger already records some rows as rectified: they come in as such.
        move("record_done", _("Recorded as done in the office's ledger"), {S.DRAFT}, S.DONE, Actor.IMPORT,
             event="ledger.item.recorded_done"),
        move("record_submitted", _("Recorded as done, awaiting verification"), {S.DRAFT}, S.SUBMITTED, Actor.IMPORT,
             event="ledger.item.recorded_submitted"),
        move("cancel", _("Cancel the item"), {S.DRAFT, S.ASSIGNED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED},
             S.CANCELLED, Actor.OFFICE, needs_reason=True, confirm=True, event="ledger.item.cancelled"),
    ],
    not_now=_("“%(action)s” is not possible while the item is “%(state)s”."),
)  # fmt: skip
# The primary button on an item is the first of these its viewer may take: the loop's next step.
PRIMARY_ORDER = ["acknowledge", "start", "submit", "assign", "accept", "close"]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EXTRA_URGENT = "extra_urgent", _("Extra urgent")


class BasisKind(models.TextChoices):
    DECISION = "decision", pgettext_lazy("basis", "Decision")
    MEETING = "meeting", _("Meeting")
    INSTRUCTION = "instruction", _("Leader instruction")
    UPPER = "upper", _("Upper-level assignment")
    AUDIT = "audit", _("Audit report")
    PROPOSAL = "proposal", _("NPC/CPPCC proposal")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class RectificationType(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    PHASED = "phased", _("Phased")
    CONTINUOUS = "continuous", _("Continuous")


class ReportCadence(models.TextChoices):
    NONE = "none", _("When asked")
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class Light(models.TextChoices):
    NONE = "none", _("No light")
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


LIGHT_RANK = {Light.NONE: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


class NoticeLevel(models.TextChoices):
    """The supervision ladder, lowest first."""

    REMINDER = "reminder", _("Reminder")
    URGING = "urging", _("Urging")
    BLUE = "blue", _("Blue supervision notice")
    YELLOW = "yellow", _("Yellow supervision notice")
    RED = "red", _("Red supervision notice")
    ONSITE = "onsite", _("On-site supervision")
    INTERVIEW = "interview", _("Interview of the unit head")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    REFERRAL = "referral", _("Referral for accountability")


NOTICE_LADDER = list(NoticeLevel)  # lowest first

NOTICE_PREFIX = {
    NoticeLevel.REMINDER: "提醒",
    NoticeLevel.URGING: "催办",
    NoticeLevel.BLUE: "蓝督",
    NoticeLevel.YELLOW: "黄督",
    NoticeLevel.RED: "督查令",
    NoticeLevel.ONSITE: "现场督",
    NoticeLevel.INTERVIEW: "约谈",
    NoticeLevel.PUBLIC_NOTICE: "通报",
    NoticeLevel.REFERRAL: "问责",
}


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


EXTENSION_MOVES = Table(
    ExtensionState,
    [
        move("approve", _("Approve"), {ExtensionState.PENDING}, ExtensionState.APPROVED, Actor.REVIEWER),
        move("reject", _("Refuse"), {ExtensionState.PENDING}, ExtensionState.REJECTED, Actor.REVIEWER),
    ],
)

# Event codes and their labels; every row of ItemEvent carries one of these codes.
EVENT_LABELS: dict[str, str] = {
    "ledger.item.created": _("Registered"),
    "ledger.item.updated": _("Details changed"),
    "ledger.item.assigned": _("Assigned"),
    "ledger.item.acknowledged": _("Acknowledged"),
    "ledger.item.acknowledged_late": _("Acknowledged late"),
    "ledger.item.started": _("Work started"),
    "ledger.item.submitted": _("Submitted for review"),
    "ledger.item.returned": _("Returned for rework"),
    "ledger.item.accepted": _("Accepted as done"),
    "ledger.item.closed": _("Closed"),
    "ledger.item.finished_on_time": _("Finished on time"),
    "ledger.item.finished_late": _("Finished late"),
    "ledger.item.reopened": _("Reopened after look-back"),
    "ledger.item.cancelled": _("Cancelled"),
    "ledger.item.carried_over": _("Carried over to next year"),
    "ledger.item.imported": _("Imported from the office's ledger"),
    "ledger.item.recorded_done": _("Recorded as done in the office's ledger"),
    "ledger.item.recorded_submitted": _("Recorded as done, awaiting verification"),
    "ledger.item.progress": _("Progress reported"),
    "ledger.item.rolled_up": _("Progress recomputed from sub-items"),
    "ledger.item.light": _("Light changed"),
    "ledger.item.instruction": _("Leader instruction"),
    "ledger.co_unit.acknowledged": _("Co-unit acknowledged"),
    "ledger.co_unit.progress": _("Co-unit reported"),
    "ledger.extension.requested": _("Extension requested"),
    "ledger.extension.approved": _("Extension approved"),
    "ledger.extension.rejected": _("Extension rejected"),
    "ledger.notice.answered": _("Supervision notice answered"),
    "ledger.notice.interview_held": _("Interview held"),
    **{f"ledger.notice.{level.value}": level.label for level in NoticeLevel},
}

DEFAULT_LIGHT_POLICY = {"mode": "deadline", "yellow_working_days": 5, "k": 0.7, "period": "month"}

# Automatic escalation, in the order the sweep applies it. Keys are stable: a notice issued by a
# rule records the rule key and what it answered, so the sweep never issues the same step twice.
DEFAULT_ESCALATION_POLICY = [
    {"key": "remind", "level": "reminder", "when": "before_deadline", "working_days": 3},
    {"key": "blue", "level": "blue", "when": "overdue"},
    {"key": "yellow", "level": "yellow", "when": "unanswered", "after": "blue", "working_days": 5},
    {"key": "red", "level": "red", "when": "unanswered", "after": "yellow", "working_days": 5},
    {"key": "interview", "level": "interview", "when": "reds_in_year", "count": 3},
]

DEFAULT_SCORING_SCHEME = {
    "ledger.item.finished_on_time": 1,
    "ledger.item.finished_late": -1,
    "ledger.item.returned": -2,
    "ledger.item.acknowledged_late": -0.5,
    "ledger.notice.yellow": -1,
    "ledger.notice.red": -2,
    "ledger.notice.interview": -3,
}
