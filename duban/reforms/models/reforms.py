"""Reforms and their adjustments (改革深化)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel
from duban.ledger.choices import FINISHED_STATES, OPEN_STATES
from duban.ledger.models import Item
from duban.orgs.choices import LeaderRank, PositionRole
from duban.orgs.models import Domain, LeaderPortfolio, Person, Position, Unit
from duban.reforms.choices import ASSIGNED_LEVELS, PLAN_LEVELS, AdjustmentState, ReformLevel, ReformStage, SpecialGroup

# What an adjustment may change, with the reform's own fields as the before and after.
ADJUSTABLE_FIELDS = ("goals", "plan", "expected_results", "deadline")


class ReformQuerySet(models.QuerySet):
    def in_plan(self, year: int) -> ReformQuerySet:
        """The year's reforms at the levels the annual plan lists."""
        return self.filter(year=year, level__in=PLAN_LEVELS)

    def with_own_item(self) -> ReformQuerySet:
        """`Reform.item` in SQL: each reform with its own item's state, progress and deadline as
        `own_state`, `own_progress` and `own_deadline` (None before it is decomposed), so that a
        list filters and the cockpit counts by them without reading the items."""
        own = _own_items().order_by("-pk")
        return self.annotate(
            own_state=Subquery(own.values("state")[:1]),
            own_progress=Subquery(own.values("progress")[:1]),
            own_deadline=Subquery(own.values("effective_deadline")[:1]),
        )

    def at_stage(self, stage: str, today: dt.date) -> ReformQuerySet:
        return self.with_own_item().filter(stage_condition(stage, today))

    def breaking_the_rule(self) -> ReformQuerySet:
        """The reforms `services.responsibility_problems` finds fault with, in one query."""
        return self.filter(breaks_the_rule())


def _own_items():
    """The items of the outer reform that are no milestone: not under a parent, nor carried on from
    a milestone whose parent stayed behind (followed back through three carry-overs, the most a
    reform's tree goes through)."""
    carried_milestone = Q(pk__in=[])
    for depth in range(1, 4):
        carried_milestone |= Q(**{"carried_from__" * depth + "parent__isnull": False})
    return Item.objects.filter(
        subject_type=ContentType.objects.get_for_model(Reform), subject_id=OuterRef("pk"), parent__isnull=True
    ).exclude(carried_milestone)


def stage_condition(stage: str, today: dt.date) -> Q:
    """The reforms at `stage` (a ReformStage), over the annotations of `with_own_item()`."""
    within = Q(own_deadline__isnull=True) | Q(own_deadline__gte=today)
    return {
        ReformStage.NEW: Q(own_state__isnull=True),
        ReformStage.UNDER_WAY: Q(own_state__in=OPEN_STATES) & within,
        ReformStage.OVERDUE: Q(own_state__in=OPEN_STATES, own_deadline__lt=today),
        ReformStage.FINISHED: Q(own_state__in=FINISHED_STATES),
    }[stage]


def breaks_the_rule() -> Q:
    """Where a reform breaks the three-level responsibility rule, as `services.responsibility_problems`
    words it: a key reform led by no main district leader; a task assigned from above led by none of
    the leaders in charge of its domain (or, when no leader is in charge of the domain, of its lead
    unit); a micro-reform whose lead unit has no head; more than two lead leaders."""
    portfolios = LeaderPortfolio.objects.current()
    led = Q(leader__led_reforms=OuterRef("pk"))
    in_charge = portfolios.filter(rank=LeaderRank.IN_CHARGE)
    by_domain = in_charge.filter(domains=OuterRef("domain"))
    covering = in_charge.filter(StartsWith(OuterRef("lead_unit__path"), F("units__path")))
    suggested = (Exists(by_domain) & Exists(by_domain.filter(led))) | (
        ~Exists(by_domain) & Exists(covering.filter(led)))  # fmt: skip
    head = Position.objects.current().filter(unit=OuterRef("lead_unit"), role=PositionRole.HEAD)
    leaders = Reform.lead_leaders.through.objects.filter(reform=OuterRef("pk")).order_by().values("reform")
    return (
        (Q(level=ReformLevel.KEY) & ~Exists(portfolios.filter(led, rank=LeaderRank.MAIN)))
        | (Q(level__in=ASSIGNED_LEVELS) & ~suggested)
        | (Q(level=ReformLevel.MICRO) & ~Exists(head))
        | Exists(leaders.annotate(n=Count("pk")).filter(n__gt=2))
    )


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

    objects = ReformQuerySet.as_manager()
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
