"""Items: who must do what by when, and where it stands; and the units sharing the work."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.models import BaseModel, SearchableModel, SearchQuerySet
from duban.ledger.choices import (
    FINISHED_STATES,
    NOTICE_LADDER,
    OPEN_STATES,
    BasisKind,
    ItemState,
    Light,
    RectificationType,
    ReportCadence,
    Urgency,
)
from duban.ledger.models.ledgers import Ledger
from duban.orgs.models import Person, Unit

USER = settings.AUTH_USER_MODEL
# A finished item was finished on time: by its deadline, or it had none.
TIMELY = Q(late_days__lte=0) | Q(late_days__isnull=True)


class ItemQuerySet(SearchQuerySet):
    def open(self) -> ItemQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today: dt.date | None = None) -> ItemQuerySet:
        return self.open().filter(effective_deadline__lt=today or timezone.localdate())

    def at_ladder_step(self, level: str) -> ItemQuerySet:
        """Items whose highest step on the supervision ladder so far is `level` (a NoticeLevel)."""
        notices = self.model.notices.rel.related_model.objects.filter(item=models.OuterRef("pk"))
        higher = NOTICE_LADDER[NOTICE_LADDER.index(level) + 1 :]
        return self.filter(models.Exists(notices.filter(level=level))).exclude(
            models.Exists(notices.filter(level__in=higher))
        )

    def finished_between(self, first: dt.date, last: dt.date) -> ItemQuerySet:
        """Items done or closed with their work finished from `first` to `last` (inclusive)."""
        return self.filter(state__in=sorted(FINISHED_STATES), finished_on__gte=first, finished_on__lte=last)

    def timely(self, on_time: bool = True) -> ItemQuerySet:
        """Finished items finished by their deadline (or with none), or, `on_time=False`, after it."""
        return self.filter(TIMELY) if on_time else self.exclude(TIMELY)

    @staticmethod
    def timely_flag() -> models.ExpressionWrapper:
        """Whether a finished item was finished on time (the `timely` condition), to annotate and group by."""
        return models.ExpressionWrapper(TIMELY, output_field=models.BooleanField())

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


class Item(SearchableModel, BaseModel):
    """One supervised obligation: who must do what by when, and where it stands."""

    ledger = models.ForeignKey(Ledger, verbose_name=_("ledger"), on_delete=models.PROTECT, related_name="items")
    seq = models.PositiveIntegerField(_("sequence"), editable=False)
    number = models.CharField(_("number"), max_length=60, editable=False)
    title = models.CharField(pgettext_lazy("item", "title"), max_length=200)
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
    # The columns of an office's own ledger that no field holds, kept as they came:
    # [{"label": the column's header, "value": the cell as text}]
    extra = models.JSONField(_("other columns"), default=list, blank=True)
    import_job = models.ForeignKey(
        "ledger.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="imported_items"
    )
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
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="ledger_item_progress_0_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="ledger_item_weight_positive",
                violation_error_message=_("The weight must be above zero."),
            ),
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
            # The list's deadline range (and its sort), counted from the index alone.
            models.Index(fields=["effective_deadline"], name="ledger_item_deadline"),
            # The cockpit's on-time rate by unit and month, from the index alone (PostgreSQL).
            models.Index(
                fields=["finished_on"],
                include=["lead_unit", "late_days"],
                name="ledger_item_finished",
                condition=Q(state__in=sorted(FINISHED_STATES)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

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
