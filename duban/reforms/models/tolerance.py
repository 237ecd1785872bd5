"""Error-tolerance cases (容错纠错)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.orgs.models import Person, Unit
from duban.reforms.choices import ToleranceDecision, ToleranceState
from duban.reforms.models.reforms import Reform


class ToleranceCase(BaseModel):
    """容错纠错: a unit or person asks that a reform setback be tolerated. The case is checked
    against the three distinctions and the cumulative conditions, investigated, decided
    collectively, notified in writing, open to one appeal, and its result applied (an exempted
    setback carries no deduction in the annual appraisal)."""

    unit = models.ForeignKey(Unit, verbose_name=_("applying unit"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name=_("person concerned"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reform = models.ForeignKey(
        Reform,
        verbose_name=_("reform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tolerance_cases",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("setback"), max_length=200)
    facts = models.TextField(_("facts"))
    state = models.CharField(_("state"), max_length=10, choices=ToleranceState.choices, default=ToleranceState.APPLIED)
    distinctions = models.JSONField(_("three distinctions"), default=dict, blank=True)
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    findings = models.TextField(_("investigation findings"), blank=True)
    decision = models.CharField(_("decision"), max_length=14, choices=ToleranceDecision.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    meeting = models.CharField(_("deciding meeting"), max_length=100, blank=True)
    correction_plan = models.TextField(_("correction plan"), blank=True)
    decided_at = models.DateTimeField(pgettext_lazy("tolerance", "decided at"), null=True, blank=True)
    appeal = models.TextField(_("appeal"), blank=True)
    appeal_due = models.DateField(_("appeal due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("error-tolerance case")
        verbose_name_plural = _("error-tolerance cases")

    def __str__(self) -> str:
        return self.title
