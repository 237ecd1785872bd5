"""How each person wants their notices, and every attempt to deliver one beyond the inbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.models import BaseModel
from duban.ledger.models import Notification
from duban.notifications.choices import Channel, DeliveryState, EmailMode

USER = settings.AUTH_USER_MODEL


class Preference(BaseModel):
    """A person's choice of channels and quiet hours (the inbox always gets every notice)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="notice_preference")
    email = models.CharField(_("by email"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    sms = models.BooleanField(_("by text message"), default=False)
    workapp = models.BooleanField(_("in the government work app"), default=False)
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    digest_at = models.TimeField(_("daily digest at"), default=dt.time(8, 30))
    digest_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.email}"


class Delivery(models.Model):
    """One notice to one person by one channel: sent once, retried with a growing pause, or failed."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    due_at = models.DateTimeField(_("due"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when its sender took it (sending)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["due_at"], name="notifications_due", condition=models.Q(state="queued")),
            models.Index(fields=["user", "channel"], name="notifications_waiting", condition=models.Q(state="waiting")),
            models.Index(fields=["claimed_at"], name="notifications_sending", condition=models.Q(state="sending")),
            models.Index(fields=["user", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.user_id}: {self.state}"

    @property
    def last_try(self) -> Attempt | None:
        tries = list(self.tries.all())  # prefetched by the list that shows it
        return tries[-1] if tries else None


class Attempt(models.Model):
    """One try at sending (a delivery's event row): when, whether it went, and why not."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    detail = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {'ok' if self.ok else 'failed'}: {self.detail}"
