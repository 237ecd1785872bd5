"""Evaluation: rating rounds (群众评), voting rounds (大家评) and expert panels (第三方评估)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel, ChoiceLabels
from duban.orgs.models import Unit
from duban.reforms.choices import DEFAULT_CRITERIA, PanelState, Satisfaction
from duban.reforms.models.reforms import Reform


def _default_criteria() -> list[dict]:
    return [dict(criterion) for criterion in DEFAULT_CRITERIA]


class Round(BaseModel):
    """A time-boxed evaluation round (the common part of rating and voting rounds)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=150)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        abstract = True
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: dt.date) -> bool:
        return self.opens_on <= today <= self.closes_on


class RatingRound(Round):
    """重点改革项目群众评: verified residents rate the round's key reforms."""

    reforms = models.ManyToManyField(Reform, verbose_name=_("reforms rated"), related_name="rating_rounds")

    class Meta(Round.Meta):
        verbose_name = _("rating round")
        verbose_name_plural = _("rating rounds")


class Rating(ChoiceLabels, models.Model):
    round = models.ForeignKey(RatingRound, on_delete=models.PROTECT, related_name="ratings")
    reform = models.ForeignKey(Reform, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    street = models.ForeignKey(
        Unit, verbose_name=_("street"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "reform", "user"],
                name="reforms_one_rating_per_person",
                violation_error_message=_("You have already rated this reform in this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reform_id}: {self.level}"


class VoteRound(Round):
    """微改革项目大家评: each verified person votes for up to `votes_per_person` candidates."""

    candidates = models.ManyToManyField(Reform, verbose_name=_("candidates"), related_name="vote_rounds")
    votes_per_person = models.PositiveSmallIntegerField(_("votes per person"), default=3)

    class Meta(Round.Meta):
        verbose_name = _("voting round")
        verbose_name_plural = _("voting rounds")


class Vote(models.Model):
    round = models.ForeignKey(VoteRound, on_delete=models.PROTECT, related_name="votes")
    reform = models.ForeignKey(Reform, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "reform", "user"],
                name="reforms_one_vote_per_person",
                violation_error_message=_("You have already voted for this project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.reform_id}"


class ExpertPanel(BaseModel):
    """第三方评估: a panel scores candidates on a weighted index; results by trimmed mean."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=150)
    criteria = models.JSONField(_("index"), default=_default_criteria)
    max_score = models.DecimalField(_("highest score per criterion"), max_digits=5, decimal_places=2, default=10)
    excellent_count = models.PositiveSmallIntegerField(_("excellent projects to select"), default=10)
    candidates = models.ManyToManyField(Reform, verbose_name=_("candidates"), related_name="panels")
    state = models.CharField(_("state"), max_length=10, choices=PanelState.choices, default=PanelState.SCORING)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")

    def __str__(self) -> str:
        return self.title


class PanelMember(models.Model):
    """An expert on a panel: from the expert pool or a body such as the city reform office. `unit`
    is where they work; they cannot score a candidate led by it."""

    panel = models.ForeignKey(ExpertPanel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    affiliation = models.CharField(_("affiliation"), max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name=_("works at"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="reforms_member_once")]

    def __str__(self) -> str:
        return f"{self.user}（{self.affiliation}）"


class Score(models.Model):
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    reform = models.ForeignKey(Reform, on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "reform", "criterion"], name="reforms_score_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="reforms_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reform_id} {self.criterion}: {self.value}"
