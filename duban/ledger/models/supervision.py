"""Supervising an item: extensions, leaders' instructions, follows, light records, notices,
notifications and interviews."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.models import BaseModel, ChoiceLabels
from duban.ledger.choices import ExtensionState, Light, NoticeLevel
from duban.ledger.models.items import USER, Item
from duban.orgs.models import Person, Unit


class ExtensionRequest(BaseModel):
    """延期申请: asked before the deadline, decided by a supervisor."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    old_deadline = models.DateField(_("current deadline"))
    new_deadline = models.DateField(_("requested deadline"))
    state = models.CharField(_("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state="pending"),
                name="ledger_one_pending_extension",
                violation_error_message=_("This item already has an extension request waiting for a decision."),
            )
        ]


class Instruction(BaseModel):
    """批示: a leader's written instruction on an item."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="instructions")
    leader = models.ForeignKey(Person, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("instruction"))
    given_on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("leader instruction")
        verbose_name_plural = _("leader instructions")


class Follow(models.Model):
    """A user's follow and read marks on an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="followed_items")
    following = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="ledger_follow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}"


class LightRecord(ChoiceLabels, models.Model):
    """The worst light an item showed in a reporting period, so history shows "red, then caught up"."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="light_records")
    period = models.CharField(max_length=10)
    light = models.CharField(max_length=8, choices=Light.choices)
    last_light = models.CharField(max_length=8, choices=Light.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["item", "period"], name="ledger_light_record_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.period} {self.light}"


class NoticeQuerySet(models.QuerySet):
    def unanswered(self) -> NoticeQuerySet:
        return self.filter(responded_at__isnull=True)


class Notice(BaseModel):
    """A step of the supervision ladder: a numbered document to a unit and its head."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="notices")
    level = models.CharField(_("level"), max_length=16, choices=NoticeLevel.choices)
    number = models.CharField(_("number"), max_length=60, unique=True)
    issuer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issuing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    recipient_unit = models.ForeignKey(
        Unit, verbose_name=_("recipient unit"), on_delete=models.PROTECT, related_name="+"
    )
    recipient_head = models.ForeignKey(
        Person, verbose_name=_("head of the recipient unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(_("reason"))
    required_response = models.TextField(_("required response"))
    due_date = models.DateField(_("respond by"))
    auto_rule = models.CharField(max_length=40, blank=True)
    auto_key = models.CharField(max_length=120, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_text = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "auto_key"], condition=~Q(auto_key=""), name="ledger_notice_auto_once"
            )
        ]

    def __str__(self) -> str:
        return self.number


class Notification(models.Model):
    """An entry in a person's in-app inbox."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True)  # where the entry leads when it is not an item
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class InterviewRecord(BaseModel):
    """The record of an interview (约谈) held on an interview notice: who came and what they promised."""

    notice = models.OneToOneField(Notice, on_delete=models.PROTECT, related_name="interview")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    attendees = models.CharField(_("attendees"), max_length=300)
    minutes = models.TextField(_("minutes"))
    commitments = models.TextField(_("commitments by the unit"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("interview record")
        verbose_name_plural = _("interview records")

    def __str__(self) -> str:
        return f"{self.notice.number} {self.held_on}"
