"""Urban renewal (城市更新): the projects' kinds and stages, administrative mediation (行政调解) of
the disputes that stall them, and the supervised funds (资金监管) released against milestones; the
states of a mediation case and of a release, and the moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class ProjectKind(models.TextChoices):
    DEMOLITION = "demolition", _("Demolition and reconstruction")  # 拆除重建
    REFURBISHMENT = "refurbish", _("Comprehensive refurbishment")  # 综合整治
    OLD_ESTATE = "old_estate", _("Old residential estate renewal")  # 旧住宅区改造
    SHANTY = "shanty", _("Shanty town redevelopment")  # 棚户区改造


class ProjectStage(models.TextChoices):
    """In order: a project only moves to the next one."""

    PLAN = "plan", _("Listed in the plan")  # 计划立项
    PLANNING = "planning", _("Special plan")  # 专项规划
    SIGNING = "signing", _("Relocation signing")  # 搬迁签约
    DEMOLITION = "demolition", pgettext_lazy("renewal stage", "Demolition")  # 拆除
    BUILDING = "building", pgettext_lazy("renewal stage", "Construction")  # 建设
    RETURN = "return", _("Return of residents")  # 回迁


STAGE_ORDER = list(ProjectStage.values)


class HouseholdKind(models.TextChoices):
    OWNER = "owner", _("Owner")  # 业主 (被搬迁人)
    TENANT = "tenant", _("Tenant")  # 承租人


class BureauRole(models.TextChoices):
    """The posts of the urban-renewal bureau's work; only case officers see parties' contacts."""

    OFFICER = "officer", _("Case officer")  # 案件承办人
    MEDIATOR = "mediator", _("Mediator")  # 调解员
    HEAD = "head", _("Bureau head")  # 局领导 (延期审批, 资金释放审批)
    DISTRICT = "district", _("District approver")  # 区政府审批 (over the threshold)


class CaseOrigin(models.TextChoices):
    APPLICATION = "application", _("On a party's application")  # 当事人申请
    INITIATIVE = "initiative", _("On the bureau's own initiative")  # 依职权启动


class ClaimType(models.TextChoices):
    COMPENSATION = "compensation", _("Compensation standard")  # 补偿标准
    AREA = "area", _("Area recognised")  # 面积认定
    RESETTLEMENT = "resettlement", _("Resettlement")  # 安置方式
    RENT = "rent", _("Rent during the transition")  # 过渡期租金
    OTHER = "other", pgettext_lazy("claim", "Other")  # 其他


class PartySide(models.TextChoices):
    RELOCATED = "relocated", _("Relocated owner")  # 被搬迁人
    TENANT = "tenant", _("Tenant")
    DEVELOPER = "developer", _("Developer")  # 搬迁人


RESIDENT_SIDES = frozenset({PartySide.RELOCATED, PartySide.TENANT})


class CaseState(models.TextChoices):
    APPLIED = "applied", _("Awaiting acceptance")  # 待受理
    MEDIATING = "mediating", _("In mediation")  # 调解中
    SETTLED = "settled", _("Settled by agreement")  # 调解成功
    TERMINATED = "terminated", _("Mediation ended without agreement")  # 调解终止
    DECLINED = "declined", _("Not accepted")  # 不予受理
    ARCHIVED = "archived", _("Archived")  # 已归档


CASE_ENDED = frozenset({CaseState.SETTLED, CaseState.TERMINATED, CaseState.ARCHIVED, CaseState.DECLINED})

# actor keys: "officer" (a case officer), "head" (the bureau head)
CASE_MOVES = Table(
    CaseState,
    [
        move("accept", pgettext_lazy("mediation", "Accept"), {CaseState.APPLIED}, CaseState.MEDIATING, "officer",
             event="renewal.case.accepted"),
        move("decline", _("Do not accept"), {CaseState.APPLIED}, CaseState.DECLINED, "officer", needs_reason=True,
             confirm=True, event="renewal.case.declined"),
        move("extend", _("Extend the mediation period"), {CaseState.MEDIATING}, None, "head", needs_reason=True,
             event="renewal.case.extended"),
        move("settle", _("Record the signed agreement"), {CaseState.MEDIATING}, CaseState.SETTLED, "officer",
             confirm=True, event="renewal.case.settled"),
        move("terminate", _("End the mediation"), {CaseState.MEDIATING}, CaseState.TERMINATED, "officer",
             needs_reason=True, confirm=True, event="renewal.case.terminated"),
        move("archive", _("File and archive"), {CaseState.SETTLED, CaseState.TERMINATED}, CaseState.ARCHIVED,
             "officer", confirm=True, event="renewal.case.archived"),
    ],
    not_now=_("“%(action)s” is not possible while the mediation case is “%(state)s”."),
)  # fmt: skip


class EndReason(models.TextChoices):
    NO_AGREEMENT = "no_agreement", _("No agreement reached")  # 未能达成协议
    WITHDRAWN = "withdrawn", _("A party withdrew")  # 当事人撤回
    TIME_OUT = "time_out", _("The mediation period ran out")  # 调解期限届满


class Referral(models.TextChoices):
    """Where the parties may go next (告知救济途径)."""

    REVIEW = "review", _("Administrative review")  # 行政复议
    ARBITRATION = "arbitration", _("Arbitration")  # 仲裁
    LITIGATION = "litigation", _("Litigation")  # 诉讼
    # 旧住宅区 past the consent threshold: the district government may expropriate (征收)
    EXPROPRIATION = "expropriation", _("Expropriation by the district government")


class Performance(models.TextChoices):
    FULL = "full", _("Performed in full")  # 已全部履行
    PARTIAL = "partial", _("Partly performed")  # 部分履行
    NONE = "none", _("Not performed")  # 未履行


class Purpose(models.TextChoices):
    """What a supervised account secures."""

    HOUSING = "housing", _("Construction of resettlement housing")  # 回迁房建设
    COMPENSATION = "compensation", _("Relocation compensation")  # 搬迁补偿
    PUBLIC_LAND = "public_land", _("Compensation for later-phase public-facility land")  # 次期公共设施用地搬迁补偿


class Milestone(models.TextChoices):
    """In order: a milestone is reached only after the one before it."""

    TOPPED_OUT = "topped_out", _("Structure topped out")  # 主体封顶
    COMPLETED = "completed", _("Completion acceptance")  # 竣工验收
    HANDOVER = "handover", _("Resettlement housing handed over")  # 回迁交付


MILESTONE_ORDER = list(Milestone.values)


class RuleKind(models.TextChoices):
    MILESTONE = "milestone", _("At a milestone")  # 按节点释放
    GUARANTEE = "guarantee", _("Early, against a bank guarantee")  # 保函置换提前释放


class ReleaseState(models.TextChoices):
    APPLIED = "applied", _("Awaiting the bureau head")  # 待局领导审批
    REFERRED = "referred", _("Awaiting the district")  # 待区政府审批
    APPROVED = "approved", _("Approved: awaiting transfer")  # 已批准·待划拨
    RELEASED = "released", _("Released")  # 已释放
    REFUSED = "refused", pgettext_lazy("release", "Refused")  # 不予释放
    WITHDRAWN = "withdrawn", pgettext_lazy("release", "Withdrawn")  # 已撤回


# A release in these states waits for an approval: the bureau head's, or the district's over its threshold.
AWAITING_APPROVAL = frozenset({ReleaseState.APPLIED, ReleaseState.REFERRED})
# A release in these states holds its amount: the account's room and balance count it.
HOLDS_FUNDS = frozenset({ReleaseState.APPLIED, ReleaseState.REFERRED, ReleaseState.APPROVED, ReleaseState.RELEASED})

# actor keys: "officer", "head", "district"
RELEASE_MOVES = Table(
    ReleaseState,
    [
        move("approve", pgettext_lazy("release", "Approve"), {ReleaseState.APPLIED}, ReleaseState.APPROVED, "head",
             event="renewal.release.approved"),
        move("refer", _("Approve and refer to the district"), {ReleaseState.APPLIED}, ReleaseState.REFERRED, "head",
             event="renewal.release.referred"),
        move("endorse", _("Approve for the district"), {ReleaseState.REFERRED}, ReleaseState.APPROVED, "district",
             event="renewal.release.endorsed"),
        move("transfer", _("Record the transfer"), {ReleaseState.APPROVED}, ReleaseState.RELEASED, "officer",
             confirm=True, event="renewal.release.released"),
        move("refuse", pgettext_lazy("release", "Refuse"), {ReleaseState.APPLIED, ReleaseState.REFERRED},
             ReleaseState.REFUSED, "approver", needs_reason=True, confirm=True, event="renewal.release.refused"),
        move("withdraw", pgettext_lazy("release", "Withdraw"),
             {ReleaseState.APPLIED, ReleaseState.REFERRED, ReleaseState.APPROVED}, ReleaseState.WITHDRAWN, "officer",
             needs_reason=True, confirm=True, event="renewal.release.withdrawn"),
    ],
    not_now=_("“%(action)s” is not possible while the release is “%(state)s”."),
)  # fmt: skip

EVENT_LABELS = {
    "renewal.project.created": _("Project registered"),
    "renewal.project.staged": _("Stage reached"),
    "renewal.project.households": _("Households added"),
    "renewal.project.signed": _("Relocation agreements signed"),
    "renewal.case.applied": _("Mediation case registered"),
    "renewal.case.consented": _("Party agreed to mediation"),
    "renewal.case.session": _("Mediation session held"),
    "renewal.case.agreement": _("Agreement drafted"),
    "renewal.case.followup": _("Follow-up visit"),
    "renewal.account.opened": _("Supervision account opened"),
    "renewal.account.deposit": _("Deposit"),
    "renewal.account.milestone": _("Milestone reached"),
    "renewal.release.applied": _("Release applied for"),
    **{m.event: m.label for m in CASE_MOVES.values()},
    **{m.event: m.label for m in RELEASE_MOVES.values()},
}
