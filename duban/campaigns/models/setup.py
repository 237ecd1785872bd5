"""A campaign and how its problems are routed: categories, areas, strict zones, chiefs, routing
rules and Open311 clients."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.campaigns.choices import (
    ChiefKind,
)
from duban.core.models import BaseModel
from duban.ledger.models import Ledger
from duban.orgs.models import Person, Unit

USER = settings.AUTH_USER_MODEL


class Campaign(BaseModel):
    """A special rectification campaign: a time window, its categories, zones, chiefs and rules."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("Short code, for example 2021."))
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    ledger = models.OneToOneField(
        Ledger, verbose_name=_("ledger"), on_delete=models.PROTECT, related_name="campaign", editable=False
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (m)"),
        default=250,
        help_text=_("Open reports of the same category this close are suggested as duplicates."),
    )
    reopen_days = models.PositiveSmallIntegerField(_("days a reporter may reopen a closed report"), default=30)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaigns_campaign_window",
                violation_error_message=_("The campaign cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_running(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class CategoryQuerySet(models.QuerySet):
    def taking_reports(self) -> CategoryQuerySet:
        """Active categories of the campaigns running today."""
        today = timezone.localdate()
        return self.filter(is_active=True, campaign__starts_on__lte=today, campaign__ends_on__gte=today).select_related(
            "campaign"
        )


class Category(BaseModel):
    """One area of a campaign (non-motor parking, garbage, dog keeping…); an Open311 service."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="categories"
    )
    service_code = models.SlugField(
        _("service code"), max_length=40, unique=True, help_text=_("The Open311 service code, unique across campaigns.")
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(_("deadline in working days"), default=3)
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (m)"), null=True, blank=True, help_text=_("Empty: the campaign's radius.")
    )
    is_active = models.BooleanField(_("accepting reports"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "sort_order", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="campaigns_category_name_unique",
                violation_error_message=_("This campaign already has a category with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def radius_m(self) -> int:
        return self.duplicate_radius_m or self.campaign.duplicate_radius_m


class AreaShape(BaseModel):
    """Where an area of the unit tree lies: its centre and, when known, its outline. A point belongs
    to the area whose outline holds it, else to the nearest centre among its siblings."""

    unit = models.OneToOneField(Unit, verbose_name=_("area"), on_delete=models.CASCADE, related_name="shape")
    center_lat = models.FloatField(_("centre latitude"))
    center_lng = models.FloatField(_("centre longitude"))
    outline = models.JSONField(_("outline"), default=list, blank=True, help_text=_("[[lat, lng], …], WGS-84."))

    class Meta:
        verbose_name = _("area shape")
        verbose_name_plural = _("area shapes")

    def __str__(self) -> str:
        return str(self.unit)


class StrictZone(BaseModel):
    """A strict management zone (严管区): a circle where problems get a shorter deadline."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=60)
    center_lat = models.FloatField(_("centre latitude"))
    center_lng = models.FloatField(_("centre longitude"))
    radius_m = models.PositiveIntegerField(_("radius (m)"), default=500)
    deadline_working_days = models.PositiveSmallIntegerField(_("deadline in working days inside the zone"), default=1)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["campaign", "name"]
        verbose_name = _("strict zone")
        verbose_name_plural = _("strict zones")

    def __str__(self) -> str:
        return self.name


class Chief(BaseModel):
    """A named person answerable for an area or road in a campaign (路长/网格长/片长/场长)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="chiefs")
    kind = models.CharField(_("kind"), max_length=8, choices=ChiefKind.choices)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="chief_posts")
    area = models.ForeignKey(Unit, verbose_name=_("area"), on_delete=models.PROTECT, related_name="chiefs")
    road = models.CharField(_("road or venue"), max_length=60, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["campaign", "area", "kind", "id"]
        verbose_name = _("chief")
        verbose_name_plural = _("chiefs")

    def __str__(self) -> str:
        where = self.road or self.area.name
        return f"{self.get_kind_display()} {where} · {self.person}"


class RoutingRule(BaseModel):
    """Category × area → responsible unit (and chief). The most specific rule wins: the deepest
    matching area first, then a rule naming the category over one for every category."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        help_text=_("Empty: every category."),
    )
    area = models.ForeignKey(
        Unit,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
        help_text=_("A street, community or grid; the rule covers everything below it."),
    )
    unit = models.ForeignKey(Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+")
    chief = models.ForeignKey(
        Chief, verbose_name=_("chief"), null=True, blank=True, on_delete=models.SET_NULL, related_name="rules"
    )
    restart_deadline = models.BooleanField(
        _("re-routing here restarts the deadline"),
        default=True,
        help_text=_("Off: a report re-routed to this unit keeps the deadline it had."),
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["campaign", "area", "category", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "category", "area"],
                name="campaigns_rule_unique",
                violation_error_message=_("A rule for this category and area already exists."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "area"],
                condition=Q(category__isnull=True),
                name="campaigns_rule_any_category_unique",
                violation_error_message=_("A rule for every category in this area already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or _('every category')} @ {self.area} → {self.unit}"


class Open311Client(BaseModel):
    """An application allowed to post reports through Open311. Only a hash of its key is kept."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("key begins with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    requests_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=600, help_text=_("0: no limit.")
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "last_used_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name
