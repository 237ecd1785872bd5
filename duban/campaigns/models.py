"""Special rectification campaigns (专项整治) and the problems residents and inspectors report in
them. Each accepted report is a ledger item in the campaign's ledger; the report keeps the public
face (location, photos, public state, timeline) and the item the loop (deadline, lights, notices)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from duban.campaigns.choices import (
    HIDDEN_REPORT_STATES,
    OPEN_REPORT_STATES,
    ChiefKind,
    PhotoKind,
    ReportSource,
    ReportState,
)
from duban.core.models import BaseModel
from duban.ledger.models import Item, Ledger
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


def _new_token() -> str:
    return secrets.token_hex(12)


class ReportQuerySet(models.QuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(state__in=OPEN_REPORT_STATES)

    def public(self) -> ReportQuerySet:
        """What anyone may see, on the portal and through Open311: everything except rejected reports."""
        return self.exclude(state__in=sorted(HIDDEN_REPORT_STATES))


class Report(BaseModel):
    """A problem point reported in a campaign."""

    # Indexes: the few in Meta serve the pages; a foreign key indexed by one of them, or mostly
    # empty, gets no index of its own (every index is one more write per Open311 post).
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports")
    description = models.TextField(_("description"), max_length=4000, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    area = models.ForeignKey(Unit, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey(Unit, verbose_name=_("street"), on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(
        StrictZone,
        verbose_name=_("strict zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    source = models.CharField(_("source"), max_length=10, choices=ReportSource.choices)
    reporter = models.ForeignKey(
        USER,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problem_reports",
        db_index=False,
    )
    client = models.ForeignKey(
        Open311Client,
        verbose_name=_("Open311 client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("contact name"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    device_id = models.CharField(max_length=60, blank=True)
    account_id = models.CharField(max_length=60, blank=True)
    media_url = models.URLField(_("photo address"), max_length=500, blank=True)
    token = models.CharField(max_length=24, default=_new_token, editable=False)  # unique: see Meta
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices, default=ReportState.SUBMITTED)
    routed_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    chief = models.ForeignKey(
        Chief,
        verbose_name=_("chief"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        db_index=False,
    )
    rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        db_index=False,
    )
    transferred_to = models.CharField(_("transferred to"), max_length=100, blank=True)
    # The office's public reply given with the latest change (the portal, Open311 `status_notes`);
    # staff notes stay on the events (`ReportEvent.note`) and are never published.
    status_note = models.CharField(_("public reply"), max_length=500, blank=True)
    expected_on = models.DateField(_("expected by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("problem report", "closed at"), null=True, blank=True)
    on_time = models.BooleanField(_("fixed on time"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        indexes = [
            # Duplicate suggestions: open reports of one category in a bounding box.
            models.Index(
                fields=["category", "lat", "lng"],
                name="campaigns_report_open_near",
                condition=Q(state__in=sorted(OPEN_REPORT_STATES)),
            ),
            models.Index(fields=["campaign", "state", "created_at"], name="campaigns_report_queue"),
            models.Index(fields=["routed_unit", "state"], name="campaigns_report_unit"),
            models.Index(
                fields=["reporter", "created_at"], name="campaigns_report_mine", condition=Q(reporter__isnull=False)
            ),
            models.Index(fields=["zone"], name="campaigns_report_zone", condition=Q(zone__isnull=False)),
            models.Index(fields=["chief"], name="campaigns_report_chief", condition=Q(chief__isnull=False)),
            models.Index(
                fields=["duplicate_of"], name="campaigns_report_duplicate_of", condition=Q(duplicate_of__isnull=False)
            ),
            models.Index(fields=["state", "updated_at"], name="campaigns_report_updated"),
            # The exposure board: open reports past their expected date, per campaign and unit,
            # counted from the index alone.
            models.Index(
                fields=["campaign", "expected_on", "routed_unit"],
                name="campaigns_report_open_due",
                condition=Q(state__in=sorted(OPEN_REPORT_STATES)),
            ),
        ]
        # A constraint rather than `unique=True`, which would add a second, pattern-matching index.
        constraints = [models.UniqueConstraint(fields=["token"], name="campaigns_report_token_unique")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REPORT_STATES

    @property
    def is_public(self) -> bool:
        """The same rule as `Report.objects.public()`, for one report at hand."""
        return self.state not in HIDDEN_REPORT_STATES

    @property
    def item(self) -> Item | None:
        """The ledger item the report stands at now: its newest (`Item.subject` is the one link;
        a re-routed report has a cancelled item and a new one). Services attach it when they
        read reports in bulk."""
        if "_item" not in self.__dict__:
            items = Item.objects.for_subject(self).select_related("ledger").order_by("-pk")
            self._item = None if self.pk is None else items.first()
        return self._item

    @item.setter
    def item(self, value: Item | None) -> None:
        self._item = value

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_item", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"


class ReportPhoto(BaseModel):
    """A photo of the problem, before or after the fix. Stored re-encoded, without metadata."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=12, choices=PhotoKind.choices)
    image = models.FileField(_("image"), upload_to="reports/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class ReportEvent(models.Model):
    """Append-only: one row per state change or other happening on a report. `note` is internal
    (staff pages only); `public_note` is the reply the portal and Open311 show, given separately."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    code = models.CharField(max_length=60)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.CharField(_("internal note"), max_length=500, blank=True)
    public_note = models.CharField(_("public reply"), max_length=500, blank=True, default="", db_default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["report", "at"], name="campaigns_event_report"),
            models.Index(fields=["actor"], name="campaigns_event_actor", condition=Q(actor__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.code}"


class Follower(BaseModel):
    """Someone notified of a report's status changes (the reporter follows their own)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="followed_reports")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="campaigns_follower_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.report_id}"


class ReportTally(models.Model):
    """Append-only counts behind the statistics: every report change adds −1 for the key it leaves
    and +1 for the key it enters (no row is ever updated, so concurrent writers never wait); the
    sweep folds the rows into one per key. `month` is the month a closed report was closed in,
    else the month it was reported in. Plain ids: derived rows."""

    campaign_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    street_id = models.BigIntegerField()
    unit_id = models.BigIntegerField(default=0)  # 0: not routed yet
    state = models.CharField(max_length=12)
    on_time = models.BooleanField(null=True)
    month = models.DateField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["campaign_id", "state"], name="campaigns_tally_campaign")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.category_id}/{self.street_id}/{self.state}/{self.month}: {self.n}"
