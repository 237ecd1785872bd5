"""Rules (建章立制): each unit's rules in its own categories, their versions, the unit's rule-building
plan whose actions are ledger items, and what caused each action (以审促建, 以案促改)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel, SearchableModel, SearchQuerySet
from duban.ledger.models import Item, Ledger
from duban.orgs.models import Unit
from duban.rules.choices import (
    ActionKind,
    ActionStage,
    CompilationState,
    OutreachKind,
    PlanScheme,
    ReviewDecision,
    ReviewState,
    RuleKind,
    RuleScope,
    RuleStatus,
)


class RuleCategory(BaseModel):
    """A heading of a unit's own rules (政务会务, 人员管理, 信访举报 …), possibly under another."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["unit", "sort_order", "id"]
        verbose_name = _("rule category")
        verbose_name_plural = _("rule categories")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="rules_category_name_unique",
                violation_error_message=_("The unit already has a category with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class RuleQuerySet(SearchQuerySet):
    def public_in_force(self) -> RuleQuerySet:
        """What the portal shows: public rules in force."""
        return self.filter(scope=RuleScope.PUBLIC, status=RuleStatus.IN_FORCE)

    def changed_in(self, year: int, how: str) -> RuleQuerySet:
        """Rules made, revised or repealed in `year` (`changed_in`)."""
        return self.filter(changed_in(year, how))

    def under_review(self) -> RuleQuerySet:
        return self.filter(under_review())


class Rule(SearchableModel, BaseModel):
    """A rule of a unit. Its title, number and dates are its current version's; each revision is a
    new version, and a repealed rule stays readable with who repealed it and what replaced it."""

    issuing_unit = models.ForeignKey(Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        RuleCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="rules"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=RuleKind.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=RuleScope.choices, default=RuleScope.INTERNAL)
    status = models.CharField(_("status"), max_length=10, choices=RuleStatus.choices, default=RuleStatus.DRAFTING)
    version = models.PositiveSmallIntegerField(_("version"), default=0)  # 0: drafting, no version yet
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    review_due_on = models.DateField(_("review due on"), null=True, blank=True)
    text = models.TextField(_("full text"), blank=True)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    repealed_by = models.ForeignKey(
        Unit, verbose_name=_("repealed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    repeal_document = models.CharField(_("repealing document"), max_length=60, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )

    objects = RuleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "text", "search_tokens"])

    SEARCHED_FIELDS = ["title", "document_number", "text"]
    GRAM_LENGTH = 2
    SAMPLED_ROWS = 0

    class Meta:
        ordering = ["issuing_unit", "category__sort_order", "category_id", "id"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        indexes = [models.Index(fields=["status", "scope"], name="rules_rule_status_scope")]

    def __str__(self) -> str:
        return self.title


def version_path(version: RuleVersion, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"rules/{version.rule_id}/v{version.number}.{suffix}"


class RuleVersion(BaseModel):
    """One text of a rule as adopted, with what changed from the one before and why."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    adopted_on = models.DateField(_("adopted on"))
    effective_on = models.DateField(_("effective on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    changes = models.TextField(_("what changed"), blank=True)
    reason = models.TextField(_("why"), blank=True)
    text = models.TextField(_("full text"), blank=True)
    file = models.FileField(_("document"), upload_to=version_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    action = models.ForeignKey(
        "RuleAction", null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["rule", "number"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="rules_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class RulePlan(BaseModel):
    """A unit's rule-building plan for a year (制度“增、补、调” or “废、改、立”): its actions are
    items in a rule-revision ledger, supervised like any other work."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    ledger = models.ForeignKey(Ledger, verbose_name=_("ledger"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    scheme = models.CharField(_("scheme"), max_length=3, choices=PlanScheme.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-year", "unit", "id"]
        verbose_name = _("rule-building plan")
        verbose_name_plural = _("rule-building plans")

    def __str__(self) -> str:
        return self.title


class RuleAction(BaseModel):
    """One action of a plan: make a rule, supplement or amend one, or repeal one. Its ledger item
    (`Item.subject`) is supervised like any other; its stages are the rule's own
    (`choices.ACTION_STEPS`); verifying its item applies it to the rule."""

    plan = models.ForeignKey(RulePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("action"), max_length=10, choices=ActionKind.choices)
    # a rule being made exists from the start, as drafting (and goes if the action is cancelled)
    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=ActionStage.choices, default=ActionStage.DRAFTING)
    title = models.CharField(_("title"), max_length=200)  # the rule's title once the action applies
    deadline = models.DateField(_("deadline"))
    summary = models.TextField(_("what changes and why"))
    # what the stages record
    review_opinion = models.TextField(_("legality review opinion"), blank=True)
    deliberation = models.CharField(_("deliberating meeting"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    text = models.TextField(_("full text"), blank=True)
    file = models.FileField(_("document"), upload_to="rules/actions/%Y/", max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    replaced_by = models.ForeignKey(
        Rule, verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "text"])

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("rule action")
        verbose_name_plural = _("rule actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def item(self) -> Item | None:
        return Item.objects.for_subject(self).order_by("-pk").first()


class ActionCause(models.Model):
    """What made a rule action necessary: an audit finding, a reform, a problem category, a
    tolerance case or a look-back (any record of another context, named by its content type)."""

    action = models.ForeignKey(RuleAction, on_delete=models.CASCADE, related_name="causes")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    cause = GenericForeignKey("content_type", "object_id")
    label = models.CharField(pgettext_lazy("rule cause", "cause"), max_length=250)  # as it read when linked

    class Meta:
        ordering = ["action", "id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "content_type", "object_id"], name="rules_cause_unique"),
            models.CheckConstraint(condition=Q(object_id__gt=0), name="rules_cause_object"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="rules_cause_target")]

    def __str__(self) -> str:
        return self.label


class Compilation(BaseModel):
    """制度汇编: the rules of some units, categories and statuses compiled into one book. Until it
    is issued it shows the rules as they stand; issued, it holds the versions it was issued with
    (`entries`) and never changes, whatever is revised later."""

    unit = models.ForeignKey(Unit, verbose_name=_("compiling unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    units = models.ManyToManyField(Unit, verbose_name=_("units compiled"), related_name="+")
    categories = models.ManyToManyField(RuleCategory, verbose_name=_("categories"), blank=True, related_name="+")
    statuses = models.JSONField(_("statuses"), default=list)
    state = models.CharField(_("state"), max_length=8, choices=CompilationState.choices, default=CompilationState.DRAFT)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rules compilation")
        verbose_name_plural = _("rules compilations")

    def __str__(self) -> str:
        return self.title


class CompilationEntry(models.Model):
    """A rule version an issued compilation holds, under the category it was filed in then."""

    compilation = models.ForeignKey(Compilation, on_delete=models.PROTECT, related_name="entries")
    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="+")
    category_name = models.CharField(max_length=60)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["compilation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["compilation", "position"], name="rules_entry_position_unique"),
            models.UniqueConstraint(fields=["compilation", "version"], name="rules_entry_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.compilation_id}#{self.position}"


class Enterprise(BaseModel):
    """An enterprise a policy was brought to, known by its unified social credit code."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class Outreach(BaseModel):
    """One publicity action for a rule or policy: an event, a mailing, visits, an online push; with
    the enterprises it reached (by name and code) and the practitioners (by count or by name)."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="outreach")
    kind = models.CharField(_("kind"), max_length=10, choices=OutreachKind.choices)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    practitioners = models.PositiveIntegerField(_("practitioners reached"), default=0)
    practitioner_names = models.TextField(_("practitioners by name"), blank=True)
    enterprises = models.ManyToManyField(Enterprise, through="OutreachEnterprise", related_name="outreach")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("publicity action")
        verbose_name_plural = _("publicity actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(practitioners__lte=10_000_000),
                name="rules_outreach_practitioners",
                violation_error_message=_("Count at most ten million practitioners."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class OutreachEnterprise(models.Model):
    """An enterprise one publicity action reached; `token` is its receipt link (签收) on the portal."""

    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="reached")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=24, unique=True)
    confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=60, blank=True)

    class Meta:
        ordering = ["outreach", "id"]
        constraints = [models.UniqueConstraint(fields=["outreach", "enterprise"], name="rules_reached_once")]

    def __str__(self) -> str:
        return f"{self.outreach_id}→{self.enterprise_id}"


class RuleReview(BaseModel):
    """定期清理: a rule due for review, or about to lapse, looked at by its unit, which decides to keep
    it (renewed for another term), amend it or repeal it (through an action of a plan). Its ledger
    item (`Item.subject`) is supervised like any other; verifying it applies the decision."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField(_("review due on"))
    state = models.CharField(_("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.OPEN)
    decision = models.CharField(_("conclusion"), max_length=8, choices=ReviewDecision.choices, blank=True)
    opinion = models.TextField(_("review opinion"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("rule review")
        verbose_name_plural = _("rule reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["rule"], condition=Q(state__in=["open", "decided"]), name="rules_one_open_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule.title}（{self.due_on:%Y-%m-%d}）"

    @property
    def item(self) -> Item | None:
        return Item.objects.for_subject(self).order_by("-pk").first()


def changed_in(year: int, how: str) -> Q:
    """Rules made (their first version adopted), revised (a later version adopted) or repealed in `year`."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if how == "repealed":
        return Q(status=RuleStatus.REPEALED, repealed_on__range=(first, last))
    versions = RuleVersion.objects.filter(adopted_on__range=(first, last))
    versions = versions.filter(number=1) if how == "made" else versions.filter(number__gt=1)
    return Q(pk__in=versions.values("rule"))


def under_review() -> Q:
    """Rules with a periodic review (定期清理) open or awaiting its verification."""
    return Q(pk__in=RuleReview.objects.filter(state__in=[ReviewState.OPEN, ReviewState.DECIDED]).values("rule"))
