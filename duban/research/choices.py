"""Commissioned research (委托课题): the states of a topic call, a proposed topic, a project, a bid
and a panel, and the moves between them."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class TopicKind(models.TextChoices):
    KEY = "key", _("Key topic")  # 重点课题
    SPECIAL = "special", _("Special topic")  # 专项课题
    GENERAL = "general", _("General topic")  # 一般课题


class TopicSource(models.TextChoices):
    UNIT = "unit", _("Proposed by a unit")
    REFORM = "reform", _("From the reform portfolio")
    RESIDENT = "resident", _("From a resident's proposal")


class CallState(models.TextChoices):
    OPEN = "open", pgettext_lazy("topic call", "Collecting topics")  # 征集中
    DECIDING = "deciding", _("Topics being decided")  # 审定中
    PUBLISHED = "published", _("Topic guide published")  # 指南已发布


CALL_MOVES = Table(
    CallState,
    [
        move("close", _("Close the call"), {CallState.OPEN}, CallState.DECIDING, "centre",
             event="research.call.closed"),
        move("publish", _("Publish the topic guide"), {CallState.DECIDING}, CallState.PUBLISHED, "centre",
             confirm=True, event="research.call.published"),
    ],
    not_now=_("“%(action)s” is not possible while the call is “%(state)s”."),
)  # fmt: skip


class TopicState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("topic", "Proposed")  # 已申报
    APPROVED = "approved", pgettext_lazy("topic", "Approved")  # 已立项
    NOT_APPROVED = "not_approved", _("Not approved")  # 未立项
    WITHDRAWN = "withdrawn", pgettext_lazy("topic", "Withdrawn")  # 已撤回


TOPIC_MOVES = Table(
    TopicState,
    [
        move("approve", pgettext_lazy("topic", "Approve"), {TopicState.PROPOSED}, TopicState.APPROVED, "group",
             event="research.topic.approved"),
        move("decline", _("Do not approve"), {TopicState.PROPOSED}, TopicState.NOT_APPROVED, "group",
             needs_reason=True, event="research.topic.declined"),
        move("withdraw", pgettext_lazy("topic", "Withdraw"), {TopicState.PROPOSED}, TopicState.WITHDRAWN, "unit",
             needs_reason=True, event="research.topic.withdrawn"),
    ],
    not_now=_("“%(action)s” is not possible while the topic is “%(state)s”."),
)  # fmt: skip


class Selection(models.TextChoices):
    OPEN = "open", _("Open call for bids")  # 公开招标
    INVITATION = "invitation", _("Invitation")  # 邀请
    DIRECT = "direct", _("Direct commission")  # 定向委托


class ProjectState(models.TextChoices):
    SELECTING = "selecting", _("Choosing who does it")  # 遴选中
    CONTRACTING = "contracting", _("Awaiting the contract")  # 待签合同
    RESEARCHING = "researching", _("Research under way")  # 研究中
    REVISING = "revising", _("Revising after the final review")  # 修改完善
    ACCEPTED = "accepted", _("Concluded")  # 已结题
    FAILED = "failed", _("Not accepted")  # 不予结题
    CANCELLED = "cancelled", pgettext_lazy("project", "Cancelled")  # 已撤销


PROJECT_MOVES = Table(
    ProjectState,
    [
        move("choose", _("Publish who does it"), {ProjectState.SELECTING}, ProjectState.CONTRACTING, "centre",
             confirm=True, event="research.project.chosen"),
        move("sign", _("Sign the contract"), {ProjectState.CONTRACTING}, ProjectState.RESEARCHING, "centre",
             event="research.project.signed"),
        move("revise", _("One revision"), {ProjectState.RESEARCHING}, ProjectState.REVISING, "system",
             event="research.project.revising"),
        move("accept", _("Conclude the research"), {ProjectState.RESEARCHING, ProjectState.REVISING},
             ProjectState.ACCEPTED, "system", event="research.project.accepted"),
        move("fail", _("Do not accept the research"), {ProjectState.REVISING}, ProjectState.FAILED, "system",
             event="research.project.failed"),
        move("cancel", pgettext_lazy("project", "Cancel"), {ProjectState.SELECTING, ProjectState.CONTRACTING},
             ProjectState.CANCELLED, "centre", needs_reason=True, confirm=True, event="research.project.cancelled"),
    ],
    not_now=_("“%(action)s” is not possible while the project is “%(state)s”."),
)  # fmt: skip


class BidState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("bid", "Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("bid", "Withdrawn")
    CHOSEN = "chosen", pgettext_lazy("bid", "Chosen")  # 中选
    NOT_CHOSEN = "not_chosen", pgettext_lazy("bid", "Not chosen")


class Stage(models.TextChoices):
    """What a panel scores: the bids, or one of the project's three reviews (the milestones)."""

    SELECTION = "selection", _("Selection review")  # 遴选评审
    OPENING = "opening", _("Opening review")  # 开题
    MIDTERM = "midterm", _("Mid-term check")  # 中期检查
    FINAL = "final", _("Final review")  # 结题评审


REVIEW_STAGES = [Stage.OPENING, Stage.MIDTERM, Stage.FINAL]


class PanelState(models.TextChoices):
    SCORING = "scoring", pgettext_lazy("panel", "Scoring")
    PUBLISHED = "published", pgettext_lazy("panel", "Published")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    GOOD = "good", _("Good")  # 良好
    PASS = "pass", pgettext_lazy("grade", "Pass")  # 合格
    FAIL = "fail", pgettext_lazy("grade", "Fail")  # 不合格


# the lowest weighted score (out of 100) for each grade, best first
GRADE_FLOORS = [(Grade.EXCELLENT, Decimal(90)), (Grade.GOOD, Decimal(80)), (Grade.PASS, Decimal(60))]


def grade_of(score: Decimal) -> str:
    return next((grade for grade, floor in GRADE_FLOORS if score >= floor), Grade.FAIL)


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal")  # 内部共享
    PUBLIC = "public", pgettext_lazy("result", "Public")  # 公开


class AdoptionKind(models.TextChoices):
    REFORM = "reform", _("Into a reform")
    RULE = "rule", _("Into a rule")
    DECISION = "decision", _("Into a decision")


DEFAULT_SELECTION_CRITERIA = [
    {"code": "relevance", "name": "选题理解与研究思路", "weight": 30},
    {"code": "method", "name": "研究方法与技术路线", "weight": 30},
    {"code": "team", "name": "团队实力与前期成果", "weight": 25},
    {"code": "budget", "name": "经费预算合理性", "weight": 15},
]
DEFAULT_REVIEW_CRITERIA = [
    {"code": "quality", "name": "研究质量", "weight": 40},
    {"code": "use", "name": "决策参考价值", "weight": 40},
    {"code": "form", "name": "规范性", "weight": 20},
]

EVENT_LABELS = {
    "research.project.created": _("Approved as a project"),
    "research.project.setup": _("How it is awarded set"),
    "research.bid.submitted": _("Bid submitted"),
    "research.bid.withdrawn": _("Bid withdrawn"),
    "research.panel.opened": _("Panel opened"),
    "research.panel.published": _("Panel results published"),
    "research.milestone.delivered": _("Deliverable in"),
    "research.instalment.paid": _("Instalment paid"),
    "research.result.shared": _("Result shared"),
    "research.result.instruction": _("Leader's instruction recorded"),
    "research.result.adopted": _("Adoption recorded"),
    **{m.event: m.label for m in PROJECT_MOVES.values()},
}
