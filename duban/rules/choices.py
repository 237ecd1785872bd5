"""Rules (建章立制): what a rule is, where it stands, and the steps a rule action goes through."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class RuleKind(models.TextChoices):
    SYSTEM = "system", pgettext_lazy("rule kind", "System")  # 制度
    MEASURES = "measures", pgettext_lazy("rule kind", "Measures")  # 办法
    PROVISIONS = "provisions", pgettext_lazy("rule kind", "Provisions")  # 规定
    RULES = "rules", pgettext_lazy("rule kind", "Detailed rules")  # 细则
    SCHEME = "scheme", pgettext_lazy("rule kind", "Scheme")  # 方案
    GUIDE = "guide", pgettext_lazy("rule kind", "Guidelines")  # 指引
    HANDBOOK = "handbook", pgettext_lazy("rule kind", "Handbook")  # 手册
    NORMATIVE = "normative", pgettext_lazy("rule kind", "Normative document")  # 规范性文件
    JUDICIAL = "judicial", pgettext_lazy("rule kind", "Judicial recommendation")  # 司法建议


# Kinds that bind people outside the issuing body pass a legality review (合法性审查) before
# collective deliberation; Guangdong's normative documents lapse five years after taking effect
# unless renewed.
LEGAL_REVIEW_KINDS = frozenset({RuleKind.MEASURES, RuleKind.PROVISIONS, RuleKind.NORMATIVE})
LAPSE_YEARS = {RuleKind.NORMATIVE: 5}


class RuleStatus(models.TextChoices):
    DRAFTING = "drafting", pgettext_lazy("rule", "Being drafted")
    IN_FORCE = "in_force", pgettext_lazy("rule", "In force")
    REVISING = "revising", pgettext_lazy("rule", "Being revised")
    REPEALED = "repealed", pgettext_lazy("rule", "Repealed")
    LAPSED = "lapsed", pgettext_lazy("rule", "Lapsed")


# What a rule in each status may still become through an action on it.
CHANGEABLE_STATUSES = frozenset({RuleStatus.IN_FORCE})


class RuleScope(models.TextChoices):
    INTERNAL = "internal", pgettext_lazy("rule scope", "Internal")
    PUBLIC = "public", pgettext_lazy("rule scope", "Public")


class PlanScheme(models.TextChoices):
    """How a unit names its plan's actions: 增、补、调 or 废、改、立 (the same four actions)."""

    ADD_SUPPLEMENT_ADJUST = "zbt", _("Add, supplement, adjust (增补调)")
    REPEAL_AMEND_MAKE = "fgl", _("Repeal, amend, make (废改立)")


class ActionKind(models.TextChoices):
    MAKE = "make", pgettext_lazy("rule action", "Make")  # 立 / 增
    SUPPLEMENT = "supplement", pgettext_lazy("rule action", "Supplement")  # 补
    AMEND = "amend", pgettext_lazy("rule action", "Amend")  # 调 / 改
    REPEAL = "repeal", pgettext_lazy("rule action", "Repeal")  # 废


# The word each scheme uses for each action, as offices write it.
ACTION_WORDS = {
    PlanScheme.ADD_SUPPLEMENT_ADJUST: {"make": "增", "supplement": "补", "amend": "调", "repeal": "废"},
    PlanScheme.REPEAL_AMEND_MAKE: {"make": "立", "supplement": "补", "amend": "改", "repeal": "废"},
}


class ActionStage(models.TextChoices):
    DRAFTING = "drafting", pgettext_lazy("rule action", "Drafting")  # 起草
    LEGAL_REVIEW = "legal_review", _("Legality review")  # 合法性审查
    DELIBERATION = "deliberation", _("Collective deliberation")  # 集体审议
    ISSUED = "issued", pgettext_lazy("rule action", "Issued")  # 印发
    PUBLISHED = "published", pgettext_lazy("rule action", "Published, awaiting verification")  # 公布
    APPLIED = "applied", pgettext_lazy("rule action", "In effect")  # the rule changed
    CANCELLED = "cancelled", pgettext_lazy("rule action", "Cancelled")


OPEN_STAGES = frozenset({ActionStage.DRAFTING, ActionStage.LEGAL_REVIEW, ActionStage.DELIBERATION, ActionStage.ISSUED})

A = ActionStage
# A rule action's steps. The unit moves it on the rule's pages; publishing it submits its ledger
# item (报送办结); the item's verification applies it to the rule (a new rule, a new version, or
# the repeal), its return sends it back to drafting, its cancellation cancels it.
ACTION_STEPS = Table(
    ActionStage,
    [
        move("to_legal_review", _("Send for legality review"), {A.DRAFTING}, A.LEGAL_REVIEW, "unit",
             event="rules.action.legal_review"),
        move("to_deliberation", _("Put to collective deliberation"), {A.DRAFTING, A.LEGAL_REVIEW}, A.DELIBERATION,
             "unit", needs_reason=True, event="rules.action.deliberation"),
        move("issue", pgettext_lazy("rule action", "Issue"), {A.DELIBERATION}, A.ISSUED, "unit", needs_reason=True,
             event="rules.action.issued"),
        move("publish", _("Publish and submit for verification"), {A.ISSUED}, A.PUBLISHED, "unit", confirm=True,
             event="rules.action.published"),
        move("apply", _("Verify: the rule takes effect"), {A.PUBLISHED}, A.APPLIED, "reviewer", confirm=True,
             event="rules.action.applied"),
        move("rework", _("Return for redrafting"), {A.PUBLISHED}, A.DRAFTING, "reviewer", needs_reason=True,
             event="rules.action.returned"),
        move("cancel", pgettext_lazy("rule action", "Cancel"), OPEN_STAGES, A.CANCELLED, "office", needs_reason=True,
             confirm=True, event="rules.action.cancelled"),
    ],
    not_now=_("“%(action)s” is not possible while the rule action is “%(state)s”."),
)  # fmt: skip
# Steps the unit takes on the rule action's page; the others follow its ledger item.
UNIT_STEPS = ("to_legal_review", "to_deliberation", "issue", "publish")


class CompilationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("compilation", "Draft")
    ISSUED = "issued", pgettext_lazy("compilation", "Issued")


COMPILATION_STEPS = Table(
    CompilationState,
    [
        move("issue", pgettext_lazy("compilation", "Issue"), {CompilationState.DRAFT}, CompilationState.ISSUED,
             "keeper", confirm=True, event="rules.compilation.issued"),
    ],
    not_now=_("“%(action)s” is not possible while the compilation is “%(state)s”."),
)  # fmt: skip


class OutreachKind(models.TextChoices):
    EVENT = "event", _("Briefing or training")  # 宣讲会、培训
    MAILING = "mailing", _("Mailing")  # 寄送
    VISIT = "visit", _("Visits")  # 上门
    ONLINE = "online", _("Online push")  # 线上推送


# How a rule changed in a year (立、改、废), as the cockpit counts it and the registry filters it
# (`models.changed_in`): its first version adopted, a later version adopted, or repealed.
CHANGES = ("made", "revised", "repealed")
CHANGE_LABELS = {"made": _("Made in %(year)s"), "revised": _("Revised in %(year)s"),
                 "repealed": _("Repealed in %(year)s")}  # fmt: skip

# Rules are looked at again every five years (定期清理); one that lapses is looked at before it does.
REVIEW_YEARS = 5
REVIEW_AHEAD_DAYS = 90  # a review opens this long before it is due, or before the rule lapses


class ReviewState(models.TextChoices):
    OPEN = "open", pgettext_lazy("rule review", "Open")
    DECIDED = "decided", pgettext_lazy("rule review", "Decided, awaiting verification")
    DONE = "done", pgettext_lazy("rule review", "Done")
    CANCELLED = "cancelled", pgettext_lazy("rule review", "Cancelled")


class ReviewDecision(models.TextChoices):
    KEEP = "keep", _("Keep (renewed for another term)")
    AMEND = "amend", _("Amend it")
    REPEAL = "repeal", _("Repeal it")


R = ReviewState
# A review's steps: the unit decides (submitting its ledger item); the item's verification applies
# the decision, its return reopens the review, its cancellation cancels it.
REVIEW_STEPS = Table(
    ReviewState,
    [
        move("decide", _("Record the conclusion"), {R.OPEN}, R.DECIDED, "unit", needs_reason=True,
             event="rules.review.decided"),
        move("apply", _("Verify the conclusion"), {R.DECIDED}, R.DONE, "reviewer", event="rules.review.applied"),
        move("reopen", _("Return the review"), {R.DECIDED}, R.OPEN, "reviewer", needs_reason=True,
             event="rules.review.returned"),
        move("cancel", pgettext_lazy("rule review", "Cancel"), {R.OPEN}, R.CANCELLED, "office", needs_reason=True,
             event="rules.review.cancelled"),
    ],
    not_now=_("“%(action)s” is not possible while the review is “%(state)s”."),
)  # fmt: skip
