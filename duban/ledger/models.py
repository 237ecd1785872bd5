"""The closed-loop ledger: ledgers, items and everything that happens to an item."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core import search
from duban.core.models import BaseModel
from duban.ledger.choices import (
    DEFAULT_ESCALATION_POLICY,
    DEFAULT_LIGHT_POLICY,
    DEFAULT_SCORING_SCHEME,
    FINISHED_STATES,
    OPEN_STATES,
    BasisKind,
    ExtensionState,
    ItemState,
    LedgerKind,
    Light,
    NoticeLevel,
    RectificationType,
    ReportCadence,
    Urgency,
)
from duban.orgs.models import Person, Unit

USER = settings.AUTH_USER_MODEL


def _default_light_policy() -> dict:
    return dict(DEFAULT_LIGHT_POLICY)


def _default_escalation_policy() -> list:
    return [dict(rule) for rule in DEFAULT_ESCALATION_POLICY]


def _default_scoring_scheme() -> dict:
    return dict(DEFAULT_SCORING_SCHEME)


class Ledger(BaseModel):
    """A named register of supervised obligations for one year and kind, owned by an office."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owning office"), on_delete=models.PROTECT, related_name="ledgers"
    )
    number_prefix = models.CharField(_("number prefix"), max_length=20, help_text=_("For example 罗审整."))
    light_policy = models.JSONField(_("light policy"), default=_default_light_policy)
    escalation_policy = models.JSONField(_("escalation policy"), default=_default_escalation_policy)
    scoring_scheme = models.JSONField(_("scoring scheme"), default=_default_scoring_scheme)
    acknowledge_working_days = models.PositiveSmallIntegerField(_("working days to acknowledge"), default=2)
    carried_from = models.ForeignKey(
        "self", verbose_name=_("carried over from"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("ledger")
        verbose_name_plural = _("ledgers")

    def __str__(self) -> str:
        return self.name

    def format_number(self, seq: int) -> str:
        return f"{self.number_prefix}〔{self.year}〕{seq:03d}号"


class ItemQuerySet(models.QuerySet):
    def search(self, query: str) -> ItemQuerySet:
        """Items whose number, title or basis document contains `query`."""
        return self.filter(Item.matching(query))

    def open(self) -> ItemQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today: dt.date | None = None) -> ItemQuerySet:
        return self.open().filter(effective_deadline__lt=today or timezone.localdate())

    def for_subject(self, subject) -> ItemQuerySet:
        """The items about `subject` (`Item.subject`, the one link from an item to what it is about)."""
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)

    def for_subjects(self, subjects) -> ItemQuerySet:
        """The items about any of `subjects` (a queryset or a list of one model's instances)."""
        model = subjects.model if isinstance(subjects, models.QuerySet) else type(next(iter(subjects), None))
        if model is type(None):
            return self.none()
        ids = subjects.values("pk") if isinstance(subjects, models.QuerySet) else [s.pk for s in subjects]
        return self.filter(subject_type=ContentType.objects.get_for_model(model), subject_id__in=ids)

    def newest_by_subject(self) -> dict[int, Item]:
        """subject id → its newest item: where a subject stands now (a re-routed report's new
        item, a carried-over finding's item in the new year)."""
        newest: dict[int, Item] = {}
        for item in self.order_by("subject_id", "pk"):
            newest[item.subject_id] = item
        return newest

    def for_units(self, units) -> ItemQuerySet:
        """Items led by, or shared with, any of `units`."""
        return self.filter(Q(lead_unit__in=units) | Q(co_units__unit__in=units)).distinct()

    def summary(self):
        """Item counts per lead unit × light × state, counted row by row (for a filtered set of
        items; `ItemCount.summary()` gives the same for whole ledgers without reading the items)."""
        return self.order_by().values("lead_unit_id", "light", "state").annotate(n=models.Count("*"))


class Item(BaseModel):
    """One supervised obligation: who must do what by when, and where it stands."""

    ledger = models.ForeignKey(Ledger, verbose_name=_("ledger"), on_delete=models.PROTECT, related_name="items")
    seq = models.PositiveIntegerField(_("sequence"), editable=False)
    number = models.CharField(_("number"), max_length=60, editable=False)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    basis_kind = models.CharField(_("basis"), max_length=16, choices=BasisKind.choices, default=BasisKind.DECISION)
    basis_document = models.CharField(_("basis document number"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    lead_unit = models.ForeignKey(Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_items")
    leader = models.ForeignKey(
        Person,
        verbose_name=_("leader in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items_in_charge",
    )
    leader_overridden = models.BooleanField(_("leader set by hand"), default=False)
    handler = models.ForeignKey(
        Person,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_items",
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(_("working days from assignment"), null=True, blank=True)
    effective_deadline = models.DateField(_("deadline after approved extensions"), null=True, blank=True)
    report_cadence = models.CharField(
        _("report cadence"), max_length=10, choices=ReportCadence.choices, default=ReportCadence.MONTHLY
    )
    rectification_type = models.CharField(
        _("rectification type"), max_length=12, choices=RectificationType.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    state = models.CharField(_("state"), max_length=16, choices=ItemState.choices, default=ItemState.DRAFT)
    light = models.CharField(_("light"), max_length=8, choices=Light.choices, default=Light.NONE)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    acknowledge_due = models.DateField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    late_days = models.IntegerField(_("days late (frozen at close)"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    search_tokens = models.TextField(default="", editable=False)

    objects = ItemQuerySet.as_manager()

    SEARCHED_FIELDS = ["number", "title", "basis_document"]

    class Meta:
        ordering = ["ledger", "seq"]
        verbose_name = _("ledger item")
        verbose_name_plural = _("ledger items")
        constraints = [
            models.UniqueConstraint(fields=["ledger", "seq"], name="ledger_item_seq_unique"),
            models.UniqueConstraint(
                fields=["ledger", "external_id"],
                condition=~Q(external_id=""),
                name="ledger_item_external_id_unique",
                violation_error_message=_("Another item of this ledger has the same external id."),
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="ledger_item_progress_0_100"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="ledger_item_weight_positive"),
        ]
        indexes = [
            models.Index(fields=["ledger", "state"]),
            models.Index(fields=["lead_unit", "state"]),
            models.Index(
                fields=["effective_deadline"],
                name="ledger_item_open_deadline",
                condition=Q(state__in=sorted(OPEN_STATES)),
            ),
            models.Index(fields=["subject_type", "subject_id"]),
            # Serves the unit × light × state summary from the index alone.
            models.Index(fields=["lead_unit", "light", "state"], name="ledger_item_summary"),
            # The list's state and light filters, in the list's order.
            models.Index(fields=["state", "ledger", "seq"], name="ledger_item_state_order"),
            models.Index(fields=["light", "ledger", "seq"], name="ledger_item_light_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or set(update_fields) & set(self.SEARCHED_FIELDS):
            self.refresh_search_tokens()
            update_fields = None if update_fields is None else {*update_fields, "search_tokens"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @classmethod
    def matching(cls, query: str) -> Q:
        return search.matches(cls, query, cls.SEARCHED_FIELDS)

    def refresh_search_tokens(self) -> None:
        """Kept by `save()`; bulk writers call it themselves."""
        self.search_tokens = search.tokens(*(getattr(self, name) for name in self.SEARCHED_FIELDS))

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue_days(self, today: dt.date | None = None) -> int:
        """Days past the deadline: live while open, frozen once finished, 0 when there is none."""
        if self.state in FINISHED_STATES or self.late_days is not None:
            return self.late_days or 0
        if not self.is_open or self.effective_deadline is None:
            return 0
        return max(0, ((today or timezone.localdate()) - self.effective_deadline).days)


class ItemCoUnit(BaseModel):
    """A co-responsible unit (协办单位): it acknowledges and reports on its own part."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="co_units")
    unit = models.ForeignKey(Unit, verbose_name=_("co-unit"), on_delete=models.PROTECT, related_name="co_items")
    part = models.CharField(_("its part"), max_length=200, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("co-unit")
        verbose_name_plural = _("co-units")
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="ledger_co_unit_unique")]

    def __str__(self) -> str:
        return str(self.unit)


class ItemEventQuerySet(models.QuerySet):
    def scored(self) -> ItemEventQuerySet:
        return self.filter(points__isnull=False)

    def unit_totals(self, year: int):
        """Points per unit for a year: the scoring feed the annual appraisal reads."""
        return (
            self.scored()
            .filter(year=year)
            .values("unit_id", "unit__name")
            .annotate(points=models.Sum("points"), events=models.Count("id"))
            .order_by("points", "unit__name")
        )


class CountKey(models.Model):
    """What items are counted by: ledger × lead unit × light × state (plain ids: derived rows)."""

    ledger_id = models.BigIntegerField()
    lead_unit_id = models.BigIntegerField()
    light = models.CharField(max_length=8)
    state = models.CharField(max_length=16)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.ledger_id}/{self.lead_unit_id}/{self.light}/{self.state}: {self.n}"


class ItemCount(CountKey):
    """Items per ledger × lead unit × light × state, kept by database triggers on `ledger_item`
    (`duban/ledger/counts.py`): each change appends a ±1 row to `ItemCountDelta`, and the sweep folds
    the deltas in here. A summary is these rows plus the deltas not folded in yet."""

    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ledger_id", "lead_unit_id", "light", "state"], name="ledger_itemcount_key")
        ]


class ItemCountDelta(CountKey):
    """A change to `ItemCount` not folded in yet (append-only, so concurrent writers never wait)."""

    n = models.BigIntegerField()


class ItemEvent(models.Model):
    """Append-only: one row per state change, report, notice or other happening on an item."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=60)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)
    points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()

    objects = ItemEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        indexes = [
            models.Index(fields=["item", "at"]),
            models.Index(fields=["unit", "year"], name="ledger_event_scored", condition=Q(points__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.code}"


class ProgressReport(BaseModel):
    """A dated progress report by the lead unit or a co-unit."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("date"), default=timezone.localdate)
    percent = models.PositiveSmallIntegerField(_("progress %"))
    text = models.TextField(_("progress"))
    is_completion = models.BooleanField(_("completion report (办结报告)"), default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="ledger_report_percent_0_100")]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"ledger/{instance.item_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Attachment(BaseModel):
    """Evidence or a document attached to an item or one of its reports."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attachments")
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ExtensionRequest(BaseModel):
    """延期申请: asked before the deadline, decided by a supervisor."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    old_deadline = models.DateField(_("current deadline"))
    new_deadline = models.DateField(_("requested deadline"))
    state = models.CharField(_("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state="pending"),
                name="ledger_one_pending_extension",
                violation_error_message=_("This item already has an extension request waiting for a decision."),
            )
        ]


class Instruction(BaseModel):
    """批示: a leader's written instruction on an item."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="instructions")
    leader = models.ForeignKey(Person, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("instruction"))
    given_on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("leader instruction")
        verbose_name_plural = _("leader instructions")


class Follow(models.Model):
    """A user's follow and read marks on an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="followed_items")
    following = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="ledger_follow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}"


class LightRecord(models.Model):
    """The worst light an item showed in a reporting period, so history shows "red, then caught up"."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="light_records")
    period = models.CharField(max_length=10)
    light = models.CharField(max_length=8, choices=Light.choices)
    last_light = models.CharField(max_length=8, choices=Light.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["item", "period"], name="ledger_light_record_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.period} {self.light}"


class NoticeQuerySet(models.QuerySet):
    def unanswered(self) -> NoticeQuerySet:
        return self.filter(responded_at__isnull=True)


class Notice(BaseModel):
    """A step of the supervision ladder: a numbered document to a unit and its head."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="notices")
    level = models.CharField(_("level"), max_length=16, choices=NoticeLevel.choices)
    number = models.CharField(_("number"), max_length=60, unique=True)
    issuer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issuing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    recipient_unit = models.ForeignKey(
        Unit, verbose_name=_("recipient unit"), on_delete=models.PROTECT, related_name="+"
    )
    recipient_head = models.ForeignKey(
        Person, verbose_name=_("head of the recipient unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(_("reason"))
    required_response = models.TextField(_("required response"))
    due_date = models.DateField(_("respond by"))
    auto_rule = models.CharField(max_length=40, blank=True)
    auto_key = models.CharField(max_length=120, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_text = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "auto_key"], condition=~Q(auto_key=""), name="ledger_notice_auto_once"
            )
        ]

    def __str__(self) -> str:
        return self.number


class Notification(models.Model):
    """An entry in a person's in-app inbox."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True)  # where the entry leads when it is not an item
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class InterviewRecord(BaseModel):
    """The record of an interview (约谈) held on an interview notice: who came and what they promised."""

    notice = models.OneToOneField(Notice, on_delete=models.PROTECT, related_name="interview")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    attendees = models.CharField(_("attendees"), max_length=300)
    minutes = models.TextField(_("minutes"))
    commitments = models.TextField(_("commitments by the unit"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("interview record")
        verbose_name_plural = _("interview records")

    def __str__(self) -> str:
        return f"{self.notice.number} {self.held_on}"


class ImportState(models.TextChoices):
    CHECKED = "checked", _("Checked")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class SweepRun(models.Model):
    """One run of the sweep: when it ran, for which day, and what it did. A run without
    `finished_at` was killed or is still going; the next run does its work again (idempotently)."""

    day = models.DateField(_("swept as of"), db_index=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    items = models.PositiveIntegerField(_("open items"), default=0)
    lights_changed = models.PositiveIntegerField(_("lights changed"), default=0)
    notices = models.PositiveIntegerField(_("notices issued"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")

    def __str__(self) -> str:
        return f"{self.day} {self.started_at:%H:%M}"


class ImportJob(BaseModel):
    """An uploaded .xlsx ledger: checked row by row before anything is written, then imported whole."""

    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="imports")
    file = models.FileField(upload_to="imports/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=ImportState.choices, default=ImportState.CHECKED)
    total_rows = models.PositiveIntegerField(default=0)
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    assign = models.BooleanField(_("assign the new items at once"), default=False)
    failure = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")

    def __str__(self) -> str:
        return self.name
