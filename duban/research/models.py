"""Commissioned research: the yearly topic call and its proposed topics, the review leading group's
decisions, projects with their bids, panels and scores, contracts with milestones and instalments,
and the results library with instructions and adoptions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel, OneRow, SearchableModel, SearchQuerySet, StepEvent
from duban.orgs.models import Person, Unit
from duban.research.choices import (
    AdoptionKind,
    BidState,
    CallState,
    Grade,
    PanelState,
    ProjectState,
    Selection,
    Stage,
    TopicKind,
    TopicSource,
    TopicState,
    Visibility,
)

USER = settings.AUTH_USER_MODEL
CENT = Decimal("0.01")
MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(CENT)]}


class ResearchSettings(OneRow, BaseModel):
    """One row: the research centre that runs commissioned research, and its leading group."""

    centre = models.ForeignKey(
        Unit, verbose_name=_("research centre"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ManyToManyField(Person, verbose_name=_("review leading group"), blank=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[group])

    class Meta:
        verbose_name = _("research settings")
        verbose_name_plural = _("research settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class TopicCall(BaseModel):
    """选题征集: a year's call for topics, closed for the leading group's decision, then its guide
    (课题指南) published."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=150)
    closes_on = models.DateField(_("proposals until"))
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.OPEN)
    guide_intro = models.TextField(_("guide introduction"), blank=True)
    published_at = models.DateTimeField(_("guide published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic call")
        verbose_name_plural = _("topic calls")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class Topic(BaseModel):
    """A proposed research topic (选题), from a unit, the reform portfolio or a resident's proposal."""

    call = models.ForeignKey(TopicCall, verbose_name=_("topic call"), on_delete=models.PROTECT, related_name="topics")
    unit = models.ForeignKey(Unit, verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="+")
    proposer = models.ForeignKey(USER, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=150)
    why = models.TextField(_("why it matters"))
    questions = models.TextField(_("questions to answer"))
    expected_use = models.TextField(_("expected use"))
    budget = models.DecimalField(_("budget asked (yuan)"), **MONEY)
    source = models.CharField(_("source"), max_length=10, choices=TopicSource.choices, default=TopicSource.UNIT)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_record = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("comes from"), max_length=250, blank=True)  # as it read when linked
    state = models.CharField(_("state"), max_length=14, choices=TopicState.choices, default=TopicState.PROPOSED)
    kind = models.CharField(_("kind"), max_length=10, choices=TopicKind.choices, blank=True)
    budget_cap = models.DecimalField(_("budget cap (yuan)"), null=True, blank=True, max_digits=12, decimal_places=2)
    decision = models.ForeignKey(
        "Decision", verbose_name=_("decision"), null=True, blank=True, on_delete=models.PROTECT, related_name="topics"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["call", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=TopicState.APPROVED) | (Q(budget_cap__gt=0) & ~Q(kind="")),
                name="research_approved_topic_has_kind_and_cap",
                violation_error_message=_("An approved topic has a kind and a budget cap."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Decision(BaseModel):
    """立项审定: a meeting of the review leading group, with the members present."""

    call = models.ForeignKey(
        TopicCall, verbose_name=_("topic call"), on_delete=models.PROTECT, related_name="decisions"
    )
    held_on = models.DateField(_("meeting date"))
    present = models.ManyToManyField(Person, verbose_name=_("members present"), related_name="+")
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("leading group decision")
        verbose_name_plural = _("leading group decisions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.call.year} {self.held_on}"


class Project(BaseModel):
    """An approved topic as a project: who does it, the contract, the reviews, the result."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    topic = models.OneToOneField(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="project")
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=TopicKind.choices)
    budget_cap = models.DecimalField(_("budget cap (yuan)"), **MONEY)
    selection = models.CharField(_("how it is awarded"), max_length=10, choices=Selection.choices)
    invited = models.ManyToManyField(Unit, verbose_name=_("invited bodies"), blank=True, related_name="+")
    bids_until = models.DateField(_("bids until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ProjectState.choices, default=ProjectState.SELECTING)
    contractor = models.ForeignKey(
        Unit, verbose_name=_("contractor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(_("contractor published at"), null=True, blank=True)
    grade = models.CharField(_("final grade"), max_length=10, choices=Grade.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


def upload_path(instance, filename: str) -> str:
    return f"research/{timezone.localdate():%Y/%m}/{filename}"


class Bid(BaseModel):
    """An applicant's proposal (申报书) for a project."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="bids")
    applicant = models.ForeignKey(Unit, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(USER, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(_("price asked (yuan)"), **MONEY)
    lead_researcher = models.CharField(_("lead researcher"), max_length=60)
    summary = models.TextField(_("approach"))
    file = models.FileField(_("proposal document"), upload_to=upload_path)
    file_name = models.CharField(max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=BidState.choices, default=BidState.SUBMITTED)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "applicant"], condition=~Q(state=BidState.WITHDRAWN), name="research_one_bid_each",
                violation_error_message=_("Your body has already bid for this project."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.project.number} {self.applicant}"


class Panel(BaseModel):
    """Experts scoring a project's bids (selection) or one of its reviews, on a weighted index of
    criteria scored 0–100 (so the weighted total is out of 100)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="panels")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=1)  # a final review's revision is round 2
    criteria = models.JSONField(_("index"), default=list)
    max_score = models.DecimalField(_("highest score per criterion"), max_digits=5, decimal_places=2, default=100)
    state = models.CharField(_("state"), max_length=10, choices=PanelState.choices, default=PanelState.SCORING)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)  # a review's
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("research panel")
        verbose_name_plural = _("research panels")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage", "round"], name="research_panel_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project.number} {self.get_stage_display()}"


class PanelMember(models.Model):
    """An expert from the pool on a panel; `unit` is where they work (recusal)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("works at"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="research_member_once")]

    def __str__(self) -> str:
        return str(self.user)


class Score(models.Model):
    """One expert's score on one criterion for one entry: a bid (selection) or the project (reviews)."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    entry = models.PositiveBigIntegerField()  # the bid's id, or the project's for a review
    criterion = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "entry", "criterion"], name="research_score_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="research_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.criterion}: {self.value}"


class Contract(BaseModel):
    """合同签订, from the standard template: deliverables, confidentiality and ownership of results."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="contract"
    )
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    amount = models.DecimalField(_("contract amount (yuan)"), **MONEY)
    signed_on = models.DateField(_("signed on"))
    deliverables = models.TextField(_("deliverables"))
    confidentiality = models.TextField(_("confidentiality"))
    ownership = models.TextField(_("ownership of results"))
    signed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("research contract")
        verbose_name_plural = _("research contracts")

    def __str__(self) -> str:
        return self.number


class Milestone(BaseModel):
    """开题, 中期, 结题: due dates of the contract, each a ledger item of the commissioning unit;
    accepted when its review passes."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    due_on = models.DateField(_("due on"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["contract", "due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["contract", "stage"], name="research_milestone_once")]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.get_stage_display()}"


class Instalment(BaseModel):
    """A payment of the contract, tied to a milestone: paid only once the milestone is accepted."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="instalments")
    milestone = models.OneToOneField(Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT,
                                     related_name="instalment")  # fmt: skip
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    voucher = models.CharField(_("voucher number"), max_length=40, blank=True)
    paid_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["contract", "milestone__due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.amount}"


class Result(SearchableModel, BaseModel):
    """An accepted report in the results library (成果库), internal or public."""

    project = models.OneToOneField(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="result")
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"))
    file = models.FileField(_("report"), upload_to=upload_path)
    file_name = models.CharField(max_length=200)
    text = models.TextField(blank=True)  # the report's text, for search
    visibility = models.CharField(_("shared"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL)
    published_at = models.DateTimeField(_("shared at"))

    objects = SearchQuerySet.as_manager()

    SEARCHED_FIELDS = ["title", "abstract", "text"]
    GRAM_LENGTH = 2
    SAMPLED_ROWS = 0

    class Meta:
        verbose_name = _("research result")
        verbose_name_plural = _("research results")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Instruction(BaseModel):
    """批示: a leader's instruction on a result."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="instructions")
    leader = models.ForeignKey(Person, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("instruction"))
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return f"{self.leader}: {self.text[:30]}"


class Adoption(BaseModel):
    """A result taken into a reform or a rule (linked by content type, so neither context imports
    this one) or into a decision (named by its document number)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="adoptions")
    kind = models.CharField(_("adopted"), max_length=10, choices=AdoptionKind.choices)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    label = models.CharField(_("adopted into"), max_length=250)  # as it read when linked, or the decision's title
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    adopted_on = models.DateField(_("adopted on"))
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["adopted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AdoptionKind.DECISION) | Q(target_id__isnull=False),
                name="research_adoption_has_target",
                violation_error_message=_("Name the reform or the rule the result was adopted into."),
            ),
            models.UniqueConstraint(
                fields=["result", "target_type", "target_id"], condition=Q(target_id__isnull=False),
                name="research_adopted_once", violation_error_message=_("This adoption is already recorded."),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["target_type", "target_id"], name="research_adoption_target")]

    def __str__(self) -> str:
        return self.label


class ProjectEvent(StepEvent):
    """Append-only: every step of a project (its bids, panels, contract, milestones, result)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.project_id} {self.code}"


def adopted_in(year: int) -> Q:
    """Results adopted (成果转化) into a reform, a rule or a decision in `year`, each result once."""
    adoptions = Adoption.objects.filter(adopted_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return Q(pk__in=adoptions.values("result"))
