"""Look-backs (回头看) of earlier reforms and the case library (成果提炼)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.reforms.choices import LookBackOutcome
from duban.reforms.models.reforms import Reform


class LookBack(BaseModel):
    """回头看 of an earlier year's reform: sustained, institutionalised (with the rules it produced),
    replicated (and by whom), or relapsed, which reopens its ledger items."""

    reform = models.ForeignKey(Reform, on_delete=models.PROTECT, related_name="lookbacks")
    year = models.PositiveSmallIntegerField(_("look-back year"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=LookBackOutcome.choices)
    findings = models.TextField(_("findings"))
    rules = models.TextField(
        _("rules outside the registry"),
        blank=True,
        help_text=_(
            "Rules in the district's rules registry built from this reform are linked by themselves; name here "
            "the others it produced, one per line with its document number."
        ),
    )
    replicated_by = models.CharField(_("replicated by"), max_length=200, blank=True)
    reopened = models.PositiveSmallIntegerField(_("ledger items reopened"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("look-back")
        verbose_name_plural = _("look-backs")
        constraints = [models.UniqueConstraint(fields=["reform", "year"], name="reforms_one_lookback_a_year")]

    def __str__(self) -> str:
        return f"{self.reform} · {self.year}"


class Case(BaseModel):
    """成果提炼: a reform's outcome written up for the case library, published on the portal."""

    reform = models.ForeignKey(
        Reform, verbose_name=_("reform"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("title"), max_length=150)
    highlights = models.TextField(_("highlights"))
    experience = models.TextField(_("experience"))
    replicated_by = models.CharField(_("replicated by"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("case library")

    def __str__(self) -> str:
        return self.title
