"""Urban renewal: the bureau's settings and posts, renewal projects (更新单元) with their households and
signing, administrative mediation cases with their parties, sessions and follow-up visits, and each
project's supervision account (资金监管) with its release rules, deposits, milestones and releases."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel, OneRow, SearchableModel, SearchQuerySet, StepEvent
from duban.orgs.models import Person, Unit
from duban.renewal.choices import (
    HOLDS_FUNDS,
    BureauRole,
    CaseOrigin,
    CaseState,
    ClaimType,
    EndReason,
    HouseholdKind,
    Milestone,
    PartySide,
    Performance,
    ProjectKind,
    ProjectStage,
    Purpose,
    Referral,
    ReleaseState,
    RuleKind,
)

USER = settings.AUTH_USER_MODEL
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(CENT)], **kwargs)


class RenewalSettings(OneRow, BaseModel):
    """One row: the bureau's unit and the procedure's limits (《罗湖区城市更新工作行政调解程序指引》,
    《…优化资金监管…暂行措施》)."""

    bureau = models.ForeignKey(
        Unit, verbose_name=_("urban-renewal bureau"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mediation_working_days = models.PositiveSmallIntegerField(
        _("mediation period (working days)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    extension_working_days = models.PositiveSmallIntegerField(
        _("extension (working days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    extensions_allowed = models.PositiveSmallIntegerField(
        _("extensions allowed"), default=1, validators=[MaxValueValidator(3)]
    )
    consent_threshold = models.DecimalField(
        _("consent threshold of an old residential estate (%)"), max_digits=5, decimal_places=2, default=Decimal(95),
        validators=[MinValueValidator(Decimal(50)), MaxValueValidator(Decimal(100))],
        help_text=_("Past it, a mediation that fails may lead to expropriation by the district government."),
    )  # fmt: skip
    district_threshold = models.DecimalField(
        _("releases above this go to the district (yuan)"), max_digits=14, decimal_places=2,
        default=Decimal("50000000"), validators=[MinValueValidator(CENT)],
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("urban-renewal settings")
        verbose_name_plural = _("urban-renewal settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class BureauPost(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("post"), max_length=10, choices=BureauRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("urban-renewal post")
        verbose_name_plural = _("urban-renewal posts")
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="renewal_post_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()}"


class Project(BaseModel):
    """An urban-renewal unit (更新单元)."""

    name = models.CharField(_("project"), max_length=120, unique=True)
    street = models.ForeignKey(Unit, verbose_name=_("street"), on_delete=models.PROTECT, related_name="+")
    community = models.CharField(_("community"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProjectKind.choices)
    developer = models.CharField(_("developer"), max_length=120)  # 搬迁人 / 实施主体
    stage = models.CharField(_("stage"), max_length=12, choices=ProjectStage.choices, default=ProjectStage.PLAN)
    area = models.DecimalField(_("land area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(CENT)])  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("renewal project")
        verbose_name_plural = _("renewal projects")
        ordering = ["street__sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def consent(self) -> tuple[int, int]:
        """(owners' households signed, owners' households): the signing rate's parts."""
        owners = self.households.filter(kind=HouseholdKind.OWNER)
        return owners.filter(signed_on__isnull=False).count(), owners.count()

    def consent_percent(self) -> Decimal | None:
        signed, total = self.consent()
        return (Decimal(signed * 100) / total).quantize(CENT) if total else None


class Household(BaseModel):
    """An owner's or tenant's household of the project; contact details only for case officers."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="households")
    label = models.CharField(_("property"), max_length=60)  # 房号: 3栋502
    kind = models.CharField(_("kind"), max_length=8, choices=HouseholdKind.choices, default=HouseholdKind.OWNER)
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    area = models.DecimalField(_("floor area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(CENT)])  # fmt: skip
    signed_on = models.DateField(_("relocation agreement signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["project", "label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "label", "kind", "name"], name="renewal_household_once")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.name}"


def settled_in(year: int) -> Q:
    """Cases settled by a signed agreement in `year` (archived since or not), as the statistics count."""
    return ~Q(agreement_number="") & Q(ended_on__year=year)


def past_period(today) -> Q:
    """Cases still in mediation after their mediation period (调解期限) ended."""
    return Q(state=CaseState.MEDIATING, ends_on__lt=today)


class MediationCase(SearchableModel, BaseModel):
    number = models.CharField(_("number"), max_length=30, unique=True)
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="cases")
    stage = models.CharField(_("project stage"), max_length=12, choices=ProjectStage.choices)
    origin = models.CharField(_("started"), max_length=12, choices=CaseOrigin.choices)
    claim_type = models.CharField(_("claim type"), max_length=12, choices=ClaimType.choices)
    claim = models.TextField(_("claim"), max_length=2000)
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices, default=CaseState.APPLIED)
    applied_at = models.DateTimeField(_("applied at"))
    officer = models.ForeignKey(
        USER, verbose_name=_("case officer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_on = models.DateField(_("mediation starts"), null=True, blank=True)
    ends_on = models.DateField(_("mediation period ends"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    mediators = models.ManyToManyField(Person, verbose_name=_("mediators"), blank=True, related_name="+")
    facts = models.TextField(_("facts"), max_length=4000, blank=True)  # 调解协议书
    terms = models.TextField(_("terms agreed"), max_length=4000, blank=True)
    agreement_number = models.CharField(_("agreement number"), max_length=30, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=14, choices=EndReason.choices, blank=True)
    referral = models.CharField(_("referred to"), max_length=14, choices=Referral.choices, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The project's and the parties' names, searched with the number (written when the case is applied for).
    names = models.TextField(default="", editable=False)

    objects = SearchQuerySet.as_manager()

    SEARCHED_FIELDS = ["number", "names"]

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-applied_at", "-pk"]
        indexes = [
            models.Index(fields=["state"], name="renewal_case_state"),
            models.Index(fields=["applied_at", "id"], name="renewal_case_applied"),  # the list's order, read backwards
        ]

    def __str__(self) -> str:
        return self.number

    def days_taken(self) -> int | None:
        """Calendar days from acceptance to the end (agreement or termination)."""
        if self.accepted_on is None or self.ended_on is None:
            return None
        return (self.ended_on - self.accepted_on).days

    def overdue(self) -> bool:
        return self.state == CaseState.MEDIATING and self.ends_on is not None and timezone.localdate() > self.ends_on


class Party(BaseModel):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=10, choices=PartySide.choices)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    consented_on = models.DateField(_("agreed to mediation on"), null=True, blank=True)
    signed_on = models.DateField(_("signed the agreement on"), null=True, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.name


class Session(BaseModel):
    """A mediation session (组织调解): presided by at least two mediators, with its minutes."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=120)
    mediators = models.ManyToManyField(Person, verbose_name=_("mediators"), related_name="+")
    attendees = models.CharField(_("attendees"), max_length=500)
    minutes = models.TextField(_("minutes"), max_length=8000)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["case", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_on}"


def file_path(instance, filename: str) -> str:
    return f"renewal/{timezone.localdate():%Y/%m}/{filename}"


class SessionDocument(BaseModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=file_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))

    def __str__(self) -> str:
        return self.name


class FollowUp(BaseModel):
    """回访: how the agreement is being performed."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="followups")
    visited_on = models.DateField(_("visited on"))
    performance = models.CharField(_("performance"), max_length=8, choices=Performance.choices)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    visited_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["case", "visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.visited_on}"


class Account(BaseModel):
    """A project's supervision account (监管账户)."""

    project = models.OneToOneField(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                   related_name="account")  # fmt: skip
    bank = models.CharField(_("bank"), max_length=120)
    number = models.CharField(_("account number"), max_length=34)
    opened_on = models.DateField(_("opened on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision account")
        verbose_name_plural = _("supervision accounts")
        ordering = ["project__street__sort_order", "project__name"]

    def __str__(self) -> str:
        return f"{self.project} {self.number}"

    def required(self) -> Decimal:
        return self.requirements.aggregate(s=Sum("amount"))["s"] or ZERO

    def deposited(self) -> Decimal:
        return self.deposits.aggregate(s=Sum("amount"))["s"] or ZERO

    def released(self) -> Decimal:
        return self.releases.filter(state=ReleaseState.RELEASED).aggregate(s=Sum("amount"))["s"] or ZERO

    def committed(self) -> Decimal:
        """Released, and approved or awaiting approval: what the balance must still cover."""
        return self.releases.filter(state__in=HOLDS_FUNDS).aggregate(s=Sum("amount"))["s"] or ZERO


class Requirement(BaseModel):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="requirements")
    purpose = models.CharField(_("purpose"), max_length=14, choices=Purpose.choices)
    amount = money(verbose_name=_("amount required (yuan)"))

    class Meta:
        verbose_name = _("amount required")
        verbose_name_plural = _("amounts required")
        constraints = [models.UniqueConstraint(fields=["account", "purpose"], name="renewal_requirement_once")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.amount}"


class ReleaseRule(BaseModel):
    """A policy of the account, as data: at a milestone, releases may reach `cap_percent` of the amount
    required in all; against a bank guarantee, up to `cap_percent` may be released before the next
    milestone (the measures' relief)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind"), max_length=10, choices=RuleKind.choices)
    milestone = models.CharField(_("milestone"), max_length=12, choices=Milestone.choices, blank=True)
    cap_percent = models.DecimalField(
        _("up to (% of the amount required)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(CENT), MaxValueValidator(Decimal(100))],
    )  # fmt: skip
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("release rule")
        verbose_name_plural = _("release rules")
        ordering = ["account", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "kind", "milestone"], name="renewal_rule_once"),
            models.CheckConstraint(condition=Q(kind=RuleKind.GUARANTEE) | ~Q(milestone=""),
                                   name="renewal_rule_milestone_named"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_milestone_display() or self.get_kind_display()} {self.cap_percent}%"


class Deposit(BaseModel):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="deposits")
    amount = money(verbose_name=_("amount (yuan)"))
    deposited_on = models.DateField(_("deposited on"))
    reference = models.CharField(_("bank reference"), max_length=60)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["account", "deposited_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="renewal_deposit_positive")]

    def __str__(self) -> str:
        return f"{self.account} +{self.amount}"


class Reach(BaseModel):
    """A milestone the project reached, with its evidence (封顶验收记录, 竣工验收备案 …)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="reached")
    milestone = models.CharField(_("milestone"), max_length=12, choices=Milestone.choices)
    reached_on = models.DateField(_("reached on"))
    evidence = models.FileField(_("evidence"), upload_to=file_path)
    evidence_name = models.CharField(_("file name"), max_length=200)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("milestone reached")
        verbose_name_plural = _("milestones reached")
        ordering = ["account", "reached_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["account", "milestone"], name="renewal_reach_once")]

    def __str__(self) -> str:
        return f"{self.account} {self.get_milestone_display()}"


def released_in(year: int | None = None) -> Q:
    """Releases transferred (in `year`, by the transfer date, when given)."""
    released = Q(state=ReleaseState.RELEASED)
    return released if year is None else released & Q(released_on__year=year)


class Release(BaseModel):
    number = models.CharField(_("number"), max_length=30, unique=True)
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="releases")
    rule = models.ForeignKey(ReleaseRule, verbose_name=_("under the rule"), on_delete=models.PROTECT,
                             related_name="releases")  # fmt: skip
    amount = money(verbose_name=_("amount (yuan)"))
    state = models.CharField(_("state"), max_length=10, choices=ReleaseState.choices, default=ReleaseState.APPLIED)
    applied_at = models.DateTimeField(_("applied at"))
    applied_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    guarantee_bank = models.CharField(_("guaranteeing bank"), max_length=120, blank=True)
    guarantee_number = models.CharField(_("guarantee number"), max_length=60, blank=True)
    guarantee_amount = models.DecimalField(_("guarantee amount (yuan)"), max_digits=14, decimal_places=2, null=True,
                                           blank=True)  # fmt: skip
    guarantee_expires_on = models.DateField(_("guarantee valid until"), null=True, blank=True)
    approved_by = models.ForeignKey(USER, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    endorsed_by = models.ForeignKey(USER, verbose_name=_("approved for the district by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    released_on = models.DateField(_("transferred on"), null=True, blank=True)
    voucher = models.CharField(_("bank voucher"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-applied_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="renewal_release_positive")]

    def __str__(self) -> str:
        return self.number


class RenewalEvent(StepEvent):
    """Append-only: one row per step of a project, its cases, its account and its releases."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    case = models.ForeignKey(MediationCase, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.project_id} {self.code}"
