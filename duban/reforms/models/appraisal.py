"""The annual reform appraisal (年度改革考评) and the bonuses the office records for it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.models import BaseModel
from duban.orgs.models import Unit
from duban.reforms.choices import DEFAULT_APPRAISAL_RULES, BonusKind
from duban.reforms.models.reforms import Reform


def _default_appraisal_rules() -> dict:
    return {**DEFAULT_APPRAISAL_RULES, "grades": [list(g) for g in DEFAULT_APPRAISAL_RULES["grades"]]}


class Appraisal(BaseModel):
    """年度改革考评: a year's appraisal of units under its rules; results are computed, never typed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    rules = models.JSONField(_("rules"), default=_default_appraisal_rules)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual reform appraisal")
        verbose_name_plural = _("annual reform appraisals")

    def __str__(self) -> str:
        return f"{self.year}"


class AppraisalBonus(BaseModel):
    """A bonus the office records for a unit: a reform adopted upward, or a recognition."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="bonuses")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=BonusKind.choices)
    reform = models.ForeignKey(
        Reform, verbose_name=_("reform"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200)

    class Meta:
        ordering = ["unit", "id"]
        verbose_name = _("appraisal bonus")
        verbose_name_plural = _("appraisal bonuses")

    def __str__(self) -> str:
        return f"{self.unit} {self.kind}"
