"""Construction contracts (施工合同): the district template's versions and their legality review, the
contracts signed on it with their key nodes (关键节点), the quarterly performance rating (履约评价) and the
analysis of existing contracts against the clause checklist."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class VersionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("template version", "Draft")  # 起草中
    REVIEW = "review", _("In legality review")  # 合法性审查中
    RETURNED = "returned", _("Returned by the legality review")  # 审查退回
    ISSUED = "issued", _("Issued")  # 已发布
    SUPERSEDED = "superseded", _("Superseded")  # 已被新版本替代


EDITABLE_VERSION = frozenset({VersionState.DRAFT, VersionState.RETURNED})

# actor keys: "agency" (the public-works agency drafts), "justice" (the justice bureau reviews)
VERSION_MOVES = Table(
    VersionState,
    [
        move("submit", _("Send for legality review"), EDITABLE_VERSION, VersionState.REVIEW, "agency",
             event="contracts.version.submitted"),
        move("issue", _("Pass the review and issue"), {VersionState.REVIEW}, VersionState.ISSUED, "justice",
             confirm=True, event="contracts.version.issued"),
        move("return", _("Return with the review's opinion"), {VersionState.REVIEW}, VersionState.RETURNED, "justice",
             needs_reason=True, event="contracts.version.returned"),
        move("supersede", _("Superseded by a newer version"), {VersionState.ISSUED}, VersionState.SUPERSEDED,
             "system", event="contracts.version.superseded"),
    ],
    not_now=_("“%(action)s” is not possible while the template version is “%(state)s”."),
)  # fmt: skip


class ContractState(models.TextChoices):
    PERFORMING = "performing", _("In performance")  # 履约中
    SETTLED = "settled", _("Settled")  # 已结算


class RatingState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("rating", "Draft")  # 待审定
    APPROVED = "approved", pgettext_lazy("rating", "Approved")  # 已审定


class OwnerKind(models.TextChoices):
    """Who owns an analysed contract (the article's 29: city and district works agencies, central and
    state enterprises)."""

    CITY_WORKS = "city_works", _("City public-works agency")  # 市建筑工务署
    DISTRICT_WORKS = "district_works", _("District public-works agency")  # 区建筑工务署
    CENTRAL_SOE = "central_soe", _("Central state-owned enterprise")  # 央企
    LOCAL_SOE = "local_soe", _("Local state-owned enterprise")  # 国企


# The template's rating criteria: key, label, weight (they add up to 100); "schedule" is computed
# from the key nodes, the others scored by the owner.
STANDARD_CRITERIA = [
    ("schedule", "工期履约", 40),
    ("quality", "工程质量", 25),
    ("safety", "安全文明施工", 20),
    ("management", "现场管理与配合", 15),
]
STANDARD_NODES = [("开工", 5), ("基础完成", 20), ("主体封顶", 35), ("竣工验收", 30), ("结算", 10)]

EVENT_LABELS = {
    "contracts.version.created": _("Template version drafted"),
    "contracts.version.saved": _("Template version changed"),
    "contracts.contract.signed": _("Contract signed on the template"),
    "contracts.node.recorded": _("Key node reached"),
    "contracts.rating.recorded": _("Quarterly rating scored"),
    "contracts.rating.approved": _("Quarterly rating approved"),
    "contracts.rating.answered": _("Contractor answered the rating"),
    "contracts.contract.settled": _("Contract settled"),
    **{m.event: m.label for m in VERSION_MOVES.values()},
}
