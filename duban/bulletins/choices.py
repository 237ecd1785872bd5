"""Supervision bulletins (督查通报): the office's weekly or monthly bulletin, composed from the data
of its period and scope, edited, then issued with its number."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class BulletinState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bulletin", "Draft")  # 草稿
    ISSUED = "issued", pgettext_lazy("bulletin", "Issued")  # 已印发
    DISCARDED = "discarded", pgettext_lazy("bulletin", "Discarded")  # 已作废


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


# actor key: "office" (the supervising office or a supervisor)
BULLETIN_MOVES = Table(
    BulletinState,
    [
        move("issue", _("Issue the bulletin"), {BulletinState.DRAFT}, BulletinState.ISSUED, "office", confirm=True,
             event="bulletins.bulletin.issued"),
        move("discard", _("Discard the draft"), {BulletinState.DRAFT}, BulletinState.DISCARDED, "office",
             confirm=True, event="bulletins.bulletin.discarded"),
    ],
    not_now=_("“%(action)s” is not possible while the bulletin is “%(state)s”."),
)  # fmt: skip

# How many units a bulletin names first and last.
RANKED = 3
