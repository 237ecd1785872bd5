"""Ledgers: named registers of supervised obligations, with their light, escalation and scoring rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.ledger.choices import DEFAULT_ESCALATION_POLICY, DEFAULT_LIGHT_POLICY, DEFAULT_SCORING_SCHEME, LedgerKind
from duban.orgs.models import Unit


def _default_light_policy() -> dict:
    return dict(DEFAULT_LIGHT_POLICY)


def _default_escalation_policy() -> list:
    return [dict(rule) for rule in DEFAULT_ESCALATION_POLICY]


def _default_scoring_scheme() -> dict:
    return dict(DEFAULT_SCORING_SCHEME)


class Ledger(BaseModel):
    """A named register of supervised obligations for one year and kind, owned by an office."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owning office"), on_delete=models.PROTECT, related_name="ledgers"
    )
    number_prefix = models.CharField(_("number prefix"), max_length=20, help_text=_("For example 罗审整."))
    light_policy = models.JSONField(_("light policy"), default=_default_light_policy)
    escalation_policy = models.JSONField(_("escalation policy"), default=_default_escalation_policy)
    scoring_scheme = models.JSONField(_("scoring scheme"), default=_default_scoring_scheme)
    acknowledge_working_days = models.PositiveSmallIntegerField(_("working days to acknowledge"), default=2)
    immediate_working_days = models.PositiveSmallIntegerField(
        _("working days for an immediate fix"),
        default=10,
        help_text=_("The deadline, from assignment, of an item to fix at once (立行立改) when no date is given."),
    )
    carried_from = models.ForeignKey(
        "self", verbose_name=_("carried over from"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("ledger")
        verbose_name_plural = _("ledgers")

    def __str__(self) -> str:
        return self.name

    def format_number(self, seq: int) -> str:
        return f"{self.number_prefix}〔{self.year}〕{seq:03d}号"
