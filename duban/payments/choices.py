"""The treasury payment centre's green channel (国库支付绿色通道) with 容缺受理: the states of a payment
request and of each document accepted as missing, and the moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class Channel(models.TextChoices):
    NORMAL = "normal", _("Normal channel")  # 普通通道
    GREEN = "green", _("Green channel")  # 绿色通道


class CentreRole(models.TextChoices):
    """The treasury payment centre's posts; the person who reviews a request never approves it."""

    ADMIN = "admin", _("Centre administrator")  # 中心管理员
    CLERK = "clerk", _("Acceptance clerk")  # 受理员 (预审, 受理, 补正核验)
    REVIEWER = "reviewer", _("Payment reviewer")  # 审核员
    APPROVER = "approver", _("Payment approver")  # 审批人
    CASHIER = "cashier", _("Payment cashier")  # 支付员


class RequestState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("payment", "Being prepared")  # 填报中
    SUBMITTED = "submitted", _("Awaiting the pre-check")  # 待预审
    COMMITMENT = "commitment", _("Awaiting the commitment letter")  # 待签承诺书
    ACCEPTED = "accepted", _("Accepted: awaiting review")  # 已受理·待审核
    REVIEWED = "reviewed", _("Reviewed: awaiting approval")  # 已审核·待审批
    APPROVED = "approved", _("Approved: awaiting payment")  # 已审批·待支付
    PAID = "paid", _("Paid")  # 已支付
    RETURNED = "returned", pgettext_lazy("payment", "Returned to the unit")  # 已退回
    REFUSED = "refused", pgettext_lazy("payment", "Refused")  # 不予支付
    WITHDRAWN = "withdrawn", pgettext_lazy("payment", "Withdrawn")  # 已撤回


# The centre is working on these: the service-level deadline runs.
IN_CENTRE = frozenset(
    {RequestState.SUBMITTED, RequestState.COMMITMENT, RequestState.ACCEPTED, RequestState.REVIEWED,
     RequestState.APPROVED}
)  # fmt: skip
# A request in these states holds its invoice reference: no other request of the fund may use it.
HOLDS_INVOICE = IN_CENTRE | {RequestState.DRAFT, RequestState.RETURNED, RequestState.PAID}
ENDED = frozenset({RequestState.PAID, RequestState.REFUSED, RequestState.WITHDRAWN})

# actor keys: "unit" (someone of the requesting unit), "head" (its responsible person), "clerk",
# "reviewer", "approver", "cashier" (the centre's posts), "centre" (any of them).
REQUEST_MOVES = Table(
    RequestState,
    [
        move("submit", pgettext_lazy("payment", "Submit"), {RequestState.DRAFT, RequestState.RETURNED},
             RequestState.SUBMITTED, "unit", event="payments.request.submitted"),
        move("accept", pgettext_lazy("payment", "Accept"), {RequestState.SUBMITTED}, RequestState.ACCEPTED, "clerk",
             event="payments.request.accepted"),
        move("defer", _("Accept with documents to follow"), {RequestState.SUBMITTED}, RequestState.COMMITMENT,
             "clerk", event="payments.request.deferred"),
        move("commit", _("Sign the commitment letter"), {RequestState.COMMITMENT}, RequestState.ACCEPTED, "head",
             event="payments.request.committed"),
        move("review", pgettext_lazy("payment", "Reviewed"), {RequestState.ACCEPTED}, RequestState.REVIEWED,
             "reviewer", event="payments.request.reviewed"),
        move("approve", pgettext_lazy("payment", "Approve the payment"), {RequestState.REVIEWED},
             RequestState.APPROVED, "approver", event="payments.request.approved"),
        move("pay", _("Record the payment"), {RequestState.APPROVED}, RequestState.PAID, "cashier", confirm=True,
             event="payments.request.paid"),
        move("return", pgettext_lazy("payment", "Return to the unit"),
             {RequestState.SUBMITTED, RequestState.COMMITMENT, RequestState.ACCEPTED, RequestState.REVIEWED},
             RequestState.RETURNED, "centre", needs_reason=True, event="payments.request.returned"),
        move("refuse", _("Refuse payment"), {RequestState.SUBMITTED, RequestState.ACCEPTED, RequestState.REVIEWED},
             RequestState.REFUSED, "centre", needs_reason=True, confirm=True, event="payments.request.refused"),
        move("withdraw", pgettext_lazy("payment", "Withdraw"),
             {RequestState.DRAFT, RequestState.SUBMITTED, RequestState.COMMITMENT, RequestState.RETURNED},
             RequestState.WITHDRAWN, "unit", needs_reason=True, confirm=True, event="payments.request.withdrawn"),
    ],
    not_now=_("“%(action)s” is not possible while the payment request is “%(state)s”."),
)  # fmt: skip


class GapState(models.TextChoices):
    """A document accepted as missing (容缺事项)."""

    PENDING = "pending", _("To be supplied")  # 待补正
    SUPPLIED = "supplied", _("Supplied")  # 已补正
    OVERDUE = "overdue", _("Overdue")  # 逾期未补
    WAIVED = "waived", _("Waived")  # 免予补正


OPEN_GAPS = frozenset({GapState.PENDING, GapState.OVERDUE})

GAP_MOVES = Table(
    GapState,
    [
        move("supply", _("Supply the document"), OPEN_GAPS, GapState.SUPPLIED, "unit",
             event="payments.gap.supplied"),
        move("confirm", _("Confirm the supplied document"), {GapState.SUPPLIED}, None, "clerk",
             event="payments.gap.confirmed"),
        move("reject", _("The supplied document will not do"), {GapState.SUPPLIED}, GapState.PENDING, "clerk",
             needs_reason=True, event="payments.gap.rejected"),
        move("lapse", _("Deadline passed"), {GapState.PENDING}, GapState.OVERDUE, "system",
             event="payments.gap.overdue"),
        move("waive", _("Waive the document"), OPEN_GAPS, GapState.WAIVED, "clerk", needs_reason=True,
             confirm=True, event="payments.gap.waived"),
    ],
    not_now=_("“%(action)s” is not possible while the document is “%(state)s”."),
)  # fmt: skip


class SupplyForm(models.TextChoices):
    """How a missing document is to arrive (补正方式)."""

    ONLINE = "online", _("Uploaded on the platform")
    ON_SITE = "on_site", _("Handed in at the centre")
    POST = "post", _("By post")


class SuspensionEnd(models.TextChoices):
    CAUGHT_UP = "caught_up", _("Every overdue document supplied")
    LIFTED = "lifted", _("Lifted by the office")


EVENT_LABELS = {
    "payments.request.created": _("Request prepared"),
    "payments.request.documents": _("Documents added"),
    "payments.suspension.started": _("Green channel suspended"),
    "payments.suspension.ended": _("Green channel restored"),
    **{m.event: m.label for m in REQUEST_MOVES.values()},
    **{m.event: m.label for m in GAP_MOVES.values()},
}

# The ledger's scoring for the supplement ledger: a broken commitment costs the unit in the annual
# appraisal (the blue notice the ladder issues when a supplement is overdue, and its late supply).
SUPPLEMENT_SCORING = {
    "ledger.item.finished_late": -1,
    "ledger.notice.blue": -1,
    "ledger.notice.yellow": -1,
    "ledger.notice.red": -2,
    "ledger.notice.interview": -3,
}
