"""Construction contracts: the settings (the public-works agency and the justice bureau), the
district template and its versions with the key-node and reward/penalty clauses as parameters,
contractors, contracts signed on a version with their key nodes and quarterly ratings, and the
analysis of existing contracts against the clause checklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from duban.contracts.choices import ContractState, OwnerKind, RatingState, VersionState
from duban.core.models import BaseModel, OneRow, StepEvent
from duban.orgs.models import Unit

USER = settings.AUTH_USER_MODEL
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class ContractsSettings(OneRow, BaseModel):
    """One row: who drafts the template and who reviews its legality, and how the rating gates the
    schedule reward (the full reward from `full_reward_rating`, half from `half_reward_rating`)."""

    agency = models.ForeignKey(Unit, verbose_name=_("public-works agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    justice = models.ForeignKey(Unit, verbose_name=_("legality reviewer"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    full_reward_rating = models.DecimalField(_("full schedule reward from a rating of"), max_digits=5,
                                             decimal_places=2, default=Decimal(80), validators=PERCENT)  # fmt: skip
    half_reward_rating = models.DecimalField(_("half the schedule reward from a rating of"), max_digits=5,
                                             decimal_places=2, default=Decimal(60), validators=PERCENT)  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("construction contract settings")
        verbose_name_plural = _("construction contract settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Template(BaseModel):
    name = models.CharField(_("template"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(BaseModel):
    """A version of the template in the national model's three parts, with the district's clauses as
    parameters. Issued after the legality review, then frozen: a change is a new version."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT)
    agreement = models.TextField(_("agreement"), max_length=20000)
    general_terms = models.TextField(_("general terms"), max_length=200000)
    special_terms = models.TextField(_("special terms"), max_length=50000)
    reward_per_day = models.DecimalField(_("reward per day early (yuan)"), max_digits=12, decimal_places=2,
                                         validators=[MinValueValidator(Decimal(0))])  # fmt: skip
    penalty_per_day = models.DecimalField(_("penalty per day late (yuan)"), max_digits=12, decimal_places=2,
                                          validators=[MinValueValidator(CENT)])  # fmt: skip
    reward_cap_percent = models.DecimalField(_("reward cap (% of the contract amount)"), max_digits=5,
                                             decimal_places=2, validators=PERCENT)  # fmt: skip
    penalty_cap_percent = models.DecimalField(_("penalty cap (% of the contract amount)"), max_digits=5,
                                              decimal_places=2, validators=PERCENT)  # fmt: skip
    criteria = models.JSONField(_("rating criteria"), default=list)  # [[key, label, weight], …]
    nodes = models.JSONField(_("key nodes"), default=list)  # [[name, weight], …] in order
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    review_opinion = models.TextField(_("legality review opinion"), max_length=4000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="contracts_version_once"),
            models.UniqueConstraint(fields=["template"], condition=Q(state=VersionState.ISSUED),
                                    name="contracts_one_issued_version"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.template}（第{self.number}版）"


class Contractor(BaseModel):
    name = models.CharField(pgettext_lazy("construction contract", "contractor"), max_length=120, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    # the contractor's body in the organisation (an external unit): its people read its contracts
    unit = models.ForeignKey(Unit, verbose_name=_("body"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")  # fmt: skip

    class Meta:
        verbose_name = pgettext_lazy("construction contract", "contractor")
        verbose_name_plural = _("contractors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contract(BaseModel):
    """A construction contract signed on an issued template version; the clauses' parameters are
    copied at signing so a later version never changes a signed contract."""

    number = models.CharField(_("contract number"), max_length=40, unique=True)
    project = models.CharField(_("project"), max_length=200)
    owner = models.ForeignKey(
        Unit, verbose_name=pgettext_lazy("construction contract", "owner"), on_delete=models.PROTECT, related_name="+"
    )
    contractor = models.ForeignKey(Contractor, verbose_name=pgettext_lazy("construction contract", "contractor"),
                                   on_delete=models.PROTECT, related_name="contracts")  # fmt: skip
    version = models.ForeignKey(TemplateVersion, verbose_name=_("template version"), on_delete=models.PROTECT,
                                related_name="contracts")  # fmt: skip
    amount = models.DecimalField(_("contract amount (yuan)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(CENT)])  # fmt: skip
    starts_on = models.DateField(_("commencement date"))
    ends_on = models.DateField(_("completion date"))
    reward_per_day = models.DecimalField(_("reward per day early (yuan)"), max_digits=12, decimal_places=2)
    penalty_per_day = models.DecimalField(_("penalty per day late (yuan)"), max_digits=12, decimal_places=2)
    reward_cap = models.DecimalField(_("reward cap (yuan)"), max_digits=14, decimal_places=2)
    penalty_cap = models.DecimalField(_("penalty cap (yuan)"), max_digits=14, decimal_places=2)
    criteria = models.JSONField(_("rating criteria"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=ContractState.choices,
                             default=ContractState.PERFORMING)  # fmt: skip
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("construction contract")
        verbose_name_plural = _("construction contracts")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contracts_amount_positive"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="contracts_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.project}"


class KeyNode(BaseModel):
    """A key node (关键节点): its planned date and weight; once reached, its actual date, the days
    early (positive) or late (negative) and the reward (+) or penalty (−) it earns, within its share
    (its weight) of the contract's caps."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="nodes")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("key node"), max_length=60)
    planned_on = models.DateField(_("planned date"))
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    actual_on = models.DateField(_("actual date"), null=True, blank=True)
    days = models.IntegerField(_("days early (+) or late (−)"), null=True, blank=True)
    outcome = models.DecimalField(_("reward (+) or penalty (−) (yuan)"), max_digits=14, decimal_places=2, null=True,
                                  blank=True)  # fmt: skip

    class Meta:
        verbose_name = _("key node")
        verbose_name_plural = _("key nodes")
        ordering = ["contract", "order"]
        constraints = [models.UniqueConstraint(fields=["contract", "order"], name="contracts_node_order_once")]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.name}"


class Rating(BaseModel):
    """The quarterly performance rating (履约评价): the owner's scores on the published criteria, with
    the schedule criterion computed from the key nodes; approved by the owner."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    scores = models.JSONField(_("scores"), default=dict)  # criterion key → 0..100
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2)
    state = models.CharField(_("state"), max_length=10, choices=RatingState.choices, default=RatingState.DRAFT)
    scored_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    answer = models.TextField(_("contractor's answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("performance rating")
        verbose_name_plural = _("performance ratings")
        ordering = ["contract", "year", "quarter"]
        constraints = [models.UniqueConstraint(fields=["contract", "year", "quarter"], name="contracts_rating_once")]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.year}Q{self.quarter}"

    @property
    def period(self) -> str:
        from duban.contracts.services import quarter_label

        return quarter_label(self.year, self.quarter)


class ContractEvent(StepEvent):
    """Append-only: one row per step of a template version or a contract."""

    version = models.ForeignKey(TemplateVersion, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="events")  # fmt: skip
    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return self.code


class ClauseItem(BaseModel):
    """A clause of the analysis checklist (关键节点工期, 工期奖罚, 履约评价, 误期赔偿 …)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("clause"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist clause")
        verbose_name_plural = _("checklist clauses")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class AnalysedContract(BaseModel):
    """An existing contract entered or imported for the analysis: which checklist clauses it has,
    and how its schedule and settlement went."""

    project = models.CharField(_("project"), max_length=200)
    owner_kind = models.CharField(_("owner kind"), max_length=16, choices=OwnerKind.choices)
    owner = models.CharField(pgettext_lazy("construction contract", "owner"), max_length=120)
    contractor = models.CharField(pgettext_lazy("construction contract", "contractor"), max_length=120)
    amount = models.DecimalField(_("contract amount (yuan)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(CENT)])  # fmt: skip
    starts_on = models.DateField(_("commencement date"))
    ends_on = models.DateField(_("completion date"))
    delay_days = models.PositiveIntegerField(_("days of delay"), default=0)
    settlement_days = models.PositiveIntegerField(_("days from completion to settlement"), null=True, blank=True)
    notes = models.CharField(_("problems found"), max_length=500, blank=True)
    clauses = models.ManyToManyField(ClauseItem, verbose_name=_("clauses present"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("analysed contract")
        verbose_name_plural = _("analysed contracts")
        ordering = ["owner_kind", "project"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="contracts_analysed_dates"),
        ]

    def __str__(self) -> str:
        return self.project


# Contracts by their key nodes, as the cockpit counts them and the contract list filters them.
NODE_CONDITIONS = ("overdue", "late", "penalty", "reward")


def node_condition(which: str, today: dt.date) -> Q:
    """Key nodes not reached past their planned date ("overdue"), reached after it ("late"), owing a
    penalty ("penalty") or earning a reward ("reward")."""
    return {
        "overdue": Q(actual_on=None, planned_on__lt=today),
        "late": Q(actual_on__gt=models.F("planned_on")),
        "penalty": Q(outcome__lt=0),
        "reward": Q(outcome__gt=0),
    }[which]


def by_nodes(which: str, today: dt.date) -> Q:
    """Contracts with such a key node (`node_condition`)."""
    return Q(pk__in=KeyNode.objects.filter(node_condition(which, today)).values("contract"))


def node_totals(contracts) -> dict[str, Decimal]:
    """The rewards earned and the penalties owed so far by the contracts' key nodes (both positive;
    before the rating gates the reward at settlement)."""
    found = KeyNode.objects.filter(contract__in=contracts).aggregate(
        rewards=models.Sum("outcome", filter=Q(outcome__gt=0)),
        penalties=models.Sum("outcome", filter=Q(outcome__lt=0)),
    )
    return {"rewards": found["rewards"] or ZERO, "penalties": -(found["penalties"] or ZERO)}
