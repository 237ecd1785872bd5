"""The organisation: the unit tree, people, positions, district leaders' portfolios, accounts."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.orgs.choices import AccountType, LeaderRank, PositionRole, RecordState, UnitKind


class User(AbstractUser):
    """A login account. Officials link to a `Person`; residents log in with a verified phone or email."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    account_type = models.CharField(
        _("account type"), max_length=16, choices=AccountType.choices, default=AccountType.OFFICIAL
    )
    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    is_office_admin = models.BooleanField(_("office administrator"), default=False)
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    is_expert = models.BooleanField(_("expert"), default=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=~Q(email=""),
                name="orgs_user_email_unique",
                violation_error_message=_("An account with this email address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_verified_resident(self) -> bool:
        return self.account_type == AccountType.RESIDENT and bool(self.phone_verified_at or self.email_verified_at)


class UnitQuerySet(models.QuerySet):
    def active(self) -> UnitQuerySet:
        return self.filter(state=RecordState.ACTIVE)

    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def subtrees(self, units) -> UnitQuerySet:
        condition = Q(pk__in=[])
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition)

    def named(self, query: str, most: int = 3) -> UnitQuerySet:
        """The units a search names, with the units below them: the query, two characters or more, is
        in the name or short name of at most `most` active units, a unit under another named one not
        counted apart (东门 → 东门街道 with 东门社区 and its grids; 城管局 → 区城管局). A word in more
        units' names (街道, 区) names none."""
        query = query.strip()
        if len(query) < 2:
            return self.none()
        condition = Q(name__icontains=query) | Q(short_name__icontains=query)
        paths = sorted(self.active().filter(condition).order_by().values_list("path", flat=True)[:200])
        tops: list[str] = []
        for path in paths:  # sorted: a unit comes before the units under it
            if not any(path.startswith(top) for top in tops):
                tops.append(path)
        if not tops or len(tops) > most or len(paths) == 200:
            return self.none()
        return self.filter(reduce(or_, (Q(path__startswith=top) for top in tops)))

    def ancestors_of(self, unit: Unit) -> UnitQuerySet:
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        return self.filter(pk__in=ids).order_by("depth")

    def roots(self) -> UnitQuerySet:
        return self.filter(parent__isnull=True)


class Unit(BaseModel):
    """A node of the organisation tree: the district, a street, community, compound or grid, a
    department, commission, municipal branch, or an external body such as a third-party evaluator."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("Statistical division code or internal code.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    address = models.CharField(_("address"), max_length=200, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RecordState.choices, default=RecordState.ACTIVE)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_reason = models.CharField(_("reason for retirement"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["path", "depth", "created_at", "updated_at"])
    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="orgs_unit_code_unique",
                violation_error_message=_("Another unit already uses this code."),
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(state="active"),
                name="orgs_unit_name_unique_among_siblings",
                violation_error_message=_("An active unit with this name already exists under the same parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.state == RecordState.ACTIVE

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class UnitAlias(BaseModel):
    """Another name offices write for a unit (罗湖区城管局 for 区城市管理和综合执法局): ledgers
    imported later read it as that unit. Office admins add them, from the import page too."""

    name = models.CharField(_("name as written"), max_length=100, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="aliases")
    created_by = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")

    def __str__(self) -> str:
        return f"{self.name} → {self.unit}"


class PersonQuerySet(models.QuerySet):
    def active(self) -> PersonQuerySet:
        return self.filter(state=RecordState.ACTIVE)

    def leaders(self) -> PersonQuerySet:
        """District leaders: people with a current portfolio."""
        return self.filter(pk__in=LeaderPortfolio.objects.current().values("leader_id"))


class Person(BaseModel):
    """Someone named in the organisation, with or without a login (a unit head named on items)."""

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, blank=True, choices=[("M", _("Male")), ("F", _("Female"))])
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    office_phone = models.CharField(_("office phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RecordState.choices, default=RecordState.ACTIVE)
    retired_at = models.DateTimeField(pgettext_lazy("person", "retired at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def units_in_charge(self):
        """The units of the person's current portfolios and everything under them (none if not a leader)."""
        return Unit.objects.subtrees(Unit.objects.filter(portfolios__in=self.portfolios.current()))

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.state == RecordState.ACTIVE


class PositionQuerySet(models.QuerySet):
    def current(self) -> PositionQuerySet:
        return self.filter(ended_on__isnull=True)

    def official(self) -> PositionQuerySet:
        """Current posts in the district's own bodies. A post at an external body (a third-party
        evaluator) never makes anyone an official: it gives no unit head or staff powers."""
        return self.current().exclude(unit__kind=UnitKind.EXTERNAL)


class Position(BaseModel):
    """A person's post in a unit: head (一把手), deputy, staff or liaison."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(_("role"), max_length=10, choices=PositionRole.choices)
    title = models.CharField(
        pgettext_lazy("position", "title"),
        max_length=60,
        blank=True,
        help_text=_("For example 街道党工委书记 or 科员."),
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "role", "started_on", "id"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role="head", ended_on__isnull=True),
                name="orgs_position_one_current_head",
                violation_error_message=_("This unit already has a current head; end that position first."),
            ),
            models.UniqueConstraint(
                fields=["unit", "person", "role"],
                condition=Q(ended_on__isnull=True),
                name="orgs_position_no_duplicate_current",
                violation_error_message=_("This person already holds this role in this unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.person} · {self.get_role_display()}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Domain(BaseModel):
    """A field of work that a district leader is in charge of (and a reform special group covers)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("domain")
        verbose_name_plural = pgettext_lazy("model", "domains")

    def __str__(self) -> str:
        return self.name


class PortfolioQuerySet(models.QuerySet):
    def current(self) -> PortfolioQuerySet:
        return self.filter(ended_on__isnull=True)

    def covering(self, unit: Unit) -> PortfolioQuerySet:
        """Current portfolios in charge of the unit or of a unit above it."""
        return self.current().filter(units__in=Unit.objects.ancestors_of(unit)).distinct()


class LeaderPortfolio(BaseModel):
    """What a district leader is in charge of: domains and units. The basis of the three-level
    responsibility rule: key reforms go to main leaders, domain reforms to the leader in charge of
    the domain, micro-reforms to the heads of streets and departments."""

    leader = models.ForeignKey(Person, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="portfolios")
    title = models.CharField(
        pgettext_lazy("position", "title"), max_length=60, help_text=_("For example 区长 or 副区长.")
    )
    rank = models.CharField(pgettext_lazy("leader", "rank"), max_length=10, choices=LeaderRank.choices)
    domains = models.ManyToManyField(Domain, verbose_name=_("domains"), blank=True, related_name="portfolios")
    units = models.ManyToManyField(Unit, verbose_name=_("units in charge"), blank=True, related_name="portfolios")
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[domains, units], excluded_fields=["created_at", "updated_at"])
    objects = PortfolioQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("leader portfolio")
        verbose_name_plural = _("leader portfolios")
        constraints = [
            models.UniqueConstraint(
                fields=["leader"],
                condition=Q(ended_on__isnull=True),
                name="orgs_portfolio_one_current_per_leader",
                violation_error_message=_("This leader already has a current portfolio; edit it instead."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.leader}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class VerificationCode(BaseModel):
    """A one-time code sent to a phone or email address to prove a resident controls it."""

    destination = models.CharField(_("phone or email"), max_length=254, db_index=True)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
