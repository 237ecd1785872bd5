from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from duban.bulletins.choices import BulletinState, Cadence
from duban.core.models import BaseModel
from duban.orgs.models import Unit

USER = settings.AUTH_USER_MODEL


class Bulletin(BaseModel):
    """A 督查通报 for a period and a scope (the district, or a unit and everything under it). While a
    draft its figures are composed afresh from the data; issuing freezes them with its number."""

    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    scope_unit = models.ForeignKey(
        Unit,
        verbose_name=pgettext_lazy("bulletin", "scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole district."),
    )
    issuer = models.ForeignKey(Unit, verbose_name=_("issuing office"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    opening = models.TextField(_("opening paragraphs"), max_length=4000, blank=True)
    closing = models.TextField(_("closing paragraphs (requirements)"), max_length=4000, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=BulletinState.choices, default=BulletinState.DRAFT)
    figures = models.JSONField(_("figures"), default=dict, blank=True)  # frozen at issue
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-ends_on", "-pk"]
        verbose_name = _("supervision bulletin")
        verbose_name_plural = _("supervision bulletins")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="bulletins_number_once"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="bulletins_period"),
        ]

    def __str__(self) -> str:
        return self.number or self.title
