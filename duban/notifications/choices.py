"""What a notice may travel by, how a person takes email, and a delivery's states and moves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.transitions import Table, move


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")
    WORKAPP = "workapp", _("Government work app (粤政易)")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Each notice as it comes")
    DIGEST = "digest", _("One digest a day")
    OFF = "off", _("No email")


class DeliveryState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the daily digest")
    QUEUED = "queued", _("To be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


S = DeliveryState
DELIVERY_MOVES = Table(
    DeliveryState,
    [
        move("send", _("Send"), [S.QUEUED, S.WAITING], S.SENDING),
        move("sent", _("Sent"), [S.SENDING], S.SENT),
        move("retry", _("Try again later"), [S.SENDING], S.QUEUED),
        move("again", _("Back to the digest"), [S.SENDING], S.WAITING),
        move("fail", _("Give up"), [S.SENDING], S.FAILED),
    ],
)
