"""What happens to an item and what units hand in: events, their counts, progress reports, attachments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.models import BaseModel
from duban.ledger.models.items import USER, Item
from duban.orgs.models import Unit


class ItemEventQuerySet(models.QuerySet):
    def scored(self) -> ItemEventQuerySet:
        return self.filter(points__isnull=False)

    def unit_totals(self, year: int):
        """Points per unit for a year: the scoring feed the annual appraisal reads."""
        return (
            self.scored()
            .filter(year=year)
            .values("unit_id", "unit__name")
            .annotate(points=models.Sum("points"), events=models.Count("id"))
            .order_by("points", "unit__name")
        )


class CountKey(models.Model):
    """What items are counted by: ledger × lead unit × light × state (plain ids: derived rows)."""

    ledger_id = models.BigIntegerField()
    lead_unit_id = models.BigIntegerField()
    light = models.CharField(max_length=8)
    state = models.CharField(max_length=16)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.ledger_id}/{self.lead_unit_id}/{self.light}/{self.state}: {self.n}"


class ItemCount(CountKey):
    """Items per ledger × lead unit × light × state, kept by database triggers on `ledger_item`
    (`duban/ledger/counts.py`): each change appends a ±1 row to `ItemCountDelta`, and the sweep folds
    the deltas in here. A summary is these rows plus the deltas not folded in yet."""

    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ledger_id", "lead_unit_id", "light", "state"], name="ledger_itemcount_key")
        ]


class ItemCountDelta(CountKey):
    """A change to `ItemCount` not folded in yet (append-only, so concurrent writers never wait)."""

    n = models.BigIntegerField()


class ItemEvent(models.Model):
    """Append-only: one row per state change, report, notice or other happening on an item."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=60)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)
    points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()

    objects = ItemEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        indexes = [
            models.Index(fields=["item", "at"]),
            models.Index(fields=["unit", "year"], name="ledger_event_scored", condition=Q(points__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.code}"


class ProgressReport(BaseModel):
    """A dated progress report by the lead unit or a co-unit."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("date"), default=timezone.localdate)
    percent = models.PositiveSmallIntegerField(_("progress %"))
    text = models.TextField(_("progress"))
    is_completion = models.BooleanField(_("completion report"), default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="ledger_report_percent_0_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            )
        ]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"ledger/{instance.item_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Attachment(BaseModel):
    """Evidence or a document attached to an item or one of its reports."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attachments")
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
