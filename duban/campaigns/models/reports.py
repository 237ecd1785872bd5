"""The problems residents, inspectors and Open311 clients report, their photos, events, followers
and the daily tallies."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.campaigns.choices import (
    HIDDEN_REPORT_STATES,
    OPEN_REPORT_STATES,
    PhotoKind,
    ReportSource,
    ReportState,
)
from duban.campaigns.models.setup import USER, Campaign, Category, Chief, Open311Client, RoutingRule, StrictZone
from duban.core.models import BaseModel, SearchableModel, SearchQuerySet
from duban.ledger.models import Item
from duban.orgs.models import Unit


def _new_token() -> str:
    return secrets.token_hex(12)


class ReportQuerySet(SearchQuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(state__in=OPEN_REPORT_STATES)

    def public(self) -> ReportQuerySet:
        """What anyone may see, on the portal and through Open311: everything except rejected reports."""
        return self.exclude(state__in=sorted(HIDDEN_REPORT_STATES))


class Report(SearchableModel, BaseModel):
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

    SEARCHED_FIELDS = ["description"]
    GRAM_LENGTH = 2  # a report is written once and read rarely: pairs narrow enough, at half the index's writes

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
            # The cockpit's problems solved each week, per campaign (and unit), from the index alone.
            models.Index(
                fields=["campaign", "closed_at"],
                include=["routed_unit"],
                name="campaigns_report_closed",
                condition=Q(state=ReportState.CLOSED),
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
