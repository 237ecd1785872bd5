"""The annual plan (深改委工作要点) and the call for proposals (征求意见/问计于民)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.orgs.models import Unit
from duban.reforms.choices import PlanState, ProposalSource, ProposalState
from duban.reforms.models.reforms import Reform


class AnnualPlan(BaseModel):
    """深改委工作要点: a year's reforms in one document. Approval by the reform commission fixes
    the list (`reform_ids`); reforms registered later show as added after approval."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    meeting = models.CharField(
        _("approving meeting"), max_length=100, blank=True, help_text=_("For example 区委深改委2024年第一次会议.")
    )
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reform_ids = models.JSONField(default=list, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual reform plan")
        verbose_name_plural = _("annual reform plans")

    def __str__(self) -> str:
        return self.title


class ProposalCall(BaseModel):
    """征求意见/问计于民: the annual call for reform proposals, open between two dates."""

    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="reforms_call_dates",
                violation_error_message=_("A call closes on or after the day it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: dt.date) -> bool:
        return self.opens_on <= today <= self.closes_on


class Proposal(BaseModel):
    """A proposal to a call, from a resident, a department or a street, and the office's public answer."""

    call = models.ForeignKey(ProposalCall, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("proposal"), max_length=2000)
    source = models.CharField(_("from"), max_length=12, choices=ProposalSource.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=ProposalState.choices, default=ProposalState.SUBMITTED)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reform = models.ForeignKey(
        Reform, verbose_name=_("reform"), null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["call", "created_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title
