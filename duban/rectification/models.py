"""Audit rectification (审计整改): audit projects, their findings and the internal-audit coverage plan.

Each finding opens items in that year's audit rectification ledger; the ledger owns the loop.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.ledger.choices import FINISHED_STATES, OPEN_STATES, ItemState
from duban.ledger.models import Item
from duban.orgs.models import Unit
from duban.rectification.choices import AuditType, FindingStatus, FindingType


class AuditProject(BaseModel):
    """An audit whose report lists findings to rectify."""

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=150)
    audit_type = models.CharField(_("audit type"), max_length=12, choices=AuditType.choices)
    audited_unit = models.ForeignKey(Unit, verbose_name=_("audited unit"), on_delete=models.PROTECT, related_name="+")
    report_number = models.CharField(_("report number"), max_length=60)
    report_date = models.DateField(_("report date"))

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-year", "report_date", "id"]
        verbose_name = _("audit project")
        verbose_name_plural = _("audit projects")
        constraints = [
            models.UniqueConstraint(
                fields=["report_number"],
                name="rectification_report_number_unique",
                violation_error_message=_("Another audit project has this report number."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AuditFindingQuerySet(models.QuerySet):
    def with_status(self, today: dt.date) -> AuditFindingQuerySet:
        """`services.finding_status` in SQL: each finding's status (a FindingStatus) as `status`, from
        its current items (carried-over and cancelled ones left out), so that a page filters and the
        cockpit counts by it without reading the items."""
        items = Item.objects.filter(
            subject_type=ContentType.objects.get_for_model(AuditFinding), subject_id=OuterRef("pk")
        ).exclude(state__in=[ItemState.CANCELLED, ItemState.CARRIED_OVER])
        # Open and late: as `Item.overdue_days`, live while open, frozen if a lateness was kept.
        late = Q(late_days__isnull=True, effective_deadline__lt=today) | Q(late_days__gt=0)
        return self.annotate(
            status=Case(
                When(~Exists(items), then=Value(FindingStatus.NOT_OPENED.value)),
                When(~Exists(items.exclude(state__in=FINISHED_STATES)), then=Value(FindingStatus.RECTIFIED.value)),
                When(Exists(items.filter(late, state__in=OPEN_STATES)), then=Value(FindingStatus.NOT_RECTIFIED.value)),
                default=Value(FindingStatus.ONGOING.value),
                output_field=models.CharField(),
            )
        )


class AuditFinding(BaseModel):
    """One problem an audit found, and what its rectification recovered (the rules it built are the
    rules registry's, counted through `duban.core.derived`)."""

    project = models.ForeignKey(AuditProject, on_delete=models.PROTECT, related_name="findings")
    seq = models.PositiveSmallIntegerField(_("number in the report"))
    title = models.CharField(_("finding"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    finding_type = models.CharField(_("type"), max_length=12, choices=FindingType.choices)
    amount_involved = models.DecimalField(_("amount involved (yuan)"), max_digits=14, decimal_places=2, default=0)
    requirement = models.TextField(_("rectification requirement"))
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    amount_recovered = models.DecimalField(_("amount recovered (yuan)"), max_digits=14, decimal_places=2, default=0)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = AuditFindingQuerySet.as_manager()

    class Meta:
        ordering = ["project", "seq"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="rectification_finding_seq_unique"),
            models.CheckConstraint(condition=Q(amount_involved__gte=0), name="rectification_amount_not_negative"),
            models.CheckConstraint(condition=Q(amount_recovered__gte=0), name="rectification_recovered_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project.report_number}-{self.seq} {self.title}"


class CoveragePlan(BaseModel):
    """The five-year internal-audit coverage plan: which unit is audited in which year."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        ordering = ["-first_year"]
        verbose_name = _("coverage plan")
        verbose_name_plural = _("coverage plans")
        constraints = [
            models.CheckConstraint(condition=Q(last_year__gte=models.F("first_year")), name="rectification_plan_years")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class CoverageEntry(models.Model):
    """A unit planned for audit in a year of a coverage plan."""

    plan = models.ForeignKey(CoveragePlan, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["unit__sort_order", "unit_id", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "unit", "year"], name="rectification_entry_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.year}"
