"""The reform portfolio: reforms at every level, run through the reform tasks ledger.

A reform is decomposed into ledger items (the reform's own item and its milestones beneath it);
the ledger owns the loop, the lights and the notices, and the reform's progress is its item's
roll-up. Adjustments (改革深化) change goals, plan or deadline only once approved.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.ledger.models import Item
from duban.orgs.models import Domain, Person, Unit
from duban.reforms.choices import (
    DEFAULT_APPRAISAL_RULES,
    DEFAULT_CRITERIA,
    AdjustmentState,
    BonusKind,
    LookBackOutcome,
    PanelState,
    PlanState,
    ProposalSource,
    ProposalState,
    ReformLevel,
    Satisfaction,
    SpecialGroup,
    ToleranceDecision,
    ToleranceState,
)

# What an adjustment may change, with the reform's own fields as the before and after.
ADJUSTABLE_FIELDS = ("goals", "plan", "expected_results", "deadline")


def _default_criteria() -> list[dict]:
    return [dict(criterion) for criterion in DEFAULT_CRITERIA]


class Reform(BaseModel):
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=12, choices=ReformLevel.choices)
    group = models.CharField(_("special group"), max_length=20, choices=SpecialGroup.choices)
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    goals = models.TextField(_("goals"))
    plan = models.TextField(_("plan"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    deadline = models.DateField(_("deadline"))
    lead_leaders = models.ManyToManyField(
        Person, verbose_name=_("lead district leaders"), blank=True, related_name="led_reforms"
    )
    lead_unit = models.ForeignKey(Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField(Unit, verbose_name=_("co-units"), blank=True, related_name="+")
    # The reform's ledger items (`Item.subject`): its own item and the milestones beneath it, in
    # every year it was carried into. Read-only here: items are written by the ledger's services.
    items = GenericRelation(Item, content_type_field="subject_type", object_id_field="subject_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[lead_leaders])

    class Meta:
        ordering = ["-year", "level", "id"]
        verbose_name = _("reform")
        verbose_name_plural = _("reforms")
        indexes = [models.Index(fields=["year", "level"])]

    def __str__(self) -> str:
        return self.title

    @property
    def item(self) -> Item | None:
        """The reform's own item: the newest of its items that is no milestone (after a carry-over,
        the one in the new year's ledger; a milestone carried on its own is still a milestone).
        Reads `items` once; prefetch it for a list."""
        items = list(self.items.all())
        known = {item.pk for item in items}

        def is_milestone(item) -> bool:
            while item.carried_from_id in known and item.parent_id is None:
                item = next(i for i in items if i.pk == item.carried_from_id)
            return item.parent_id is not None

        roots = [item for item in items if not is_milestone(item)]
        return max(roots, key=lambda item: item.pk) if roots else None

    @property
    def progress(self) -> int:
        item = self.item
        return item.progress if item else 0


class ReformAdjustment(BaseModel):
    """改革深化: a change to a reform's goals, plan or deadline, with its reason and approval.
    `changes` keeps {field: [before, after]} as it was when asked."""

    reform = models.ForeignKey(Reform, on_delete=models.PROTECT, related_name="adjustments")
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=AdjustmentState.choices, default=AdjustmentState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reform adjustment")
        verbose_name_plural = _("reform adjustments")
        constraints = [
            models.UniqueConstraint(
                fields=["reform"],
                condition=Q(state=AdjustmentState.PENDING),
                name="reforms_one_pending_adjustment",
                violation_error_message=_("This reform already has an adjustment awaiting approval."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reform_id}: {', '.join(self.changes)}"


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


class Rating(models.Model):
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


class LookBack(BaseModel):
    """回头看 of an earlier year's reform: sustained, institutionalised (with the rules it produced),
    replicated (and by whom), or relapsed, which reopens its ledger items."""

    reform = models.ForeignKey(Reform, on_delete=models.PROTECT, related_name="lookbacks")
    year = models.PositiveSmallIntegerField(_("look-back year"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=LookBackOutcome.choices)
    findings = models.TextField(_("findings"))
    rules = models.TextField(
        _("rules produced"), blank=True, help_text=_("One rule per line, with its document number.")
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
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
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
