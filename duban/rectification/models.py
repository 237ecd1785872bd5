"""Audit rectification (审计整改): audit projects, their findings and the internal-audit coverage plan.

Each finding opens items in that year's audit rectification ledger; the ledger owns the loop.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.orgs.models import Unit
from duban.rectification.choices import AuditType, FindingType


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
