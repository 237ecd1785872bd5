"""The figures of urban renewal, computed from the records: the quarterly mediation statistics for
the legal-affairs office (cases received by claim type, cases concluded, the settled share and the
median days) and the supervised funds of every project (required, deposited, released, held)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.renewal.choices import ClaimType, ProjectStage, ReleaseState
from duban.renewal.models import ZERO, Account, MediationCase, Release


@dataclass
class Quarter:
    number: int
    received: dict = field(default_factory=dict)  # claim type → cases applied for
    settled: int = 0
    terminated: int = 0
    days: list = field(default_factory=list)

    @property
    def total_received(self) -> int:
        return sum(self.received.values())

    @property
    def concluded(self) -> int:
        return self.settled + self.terminated

    @property
    def settled_percent(self) -> Decimal | None:
        return (Decimal(self.settled * 100) / self.concluded).quantize(Decimal("0.1")) if self.concluded else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def label(self) -> str:
        return quarter_label(self.number)

    def by_type(self) -> list[tuple[str, int]]:
        return [(label, self.received[value]) for value, label in ClaimType.choices]


QUARTERS = {1: _("First quarter"), 2: _("Second quarter"), 3: _("Third quarter"), 4: _("Fourth quarter"),
            0: _("Whole year")}  # fmt: skip


def quarter_label(number: int) -> str:
    return str(QUARTERS[number])


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def mediation_year(year: int) -> list[Quarter]:
    """Q1–Q4 and the year (number 0): received by the quarter of the application, concluded by the
    quarter of the agreement or termination (declined applications are not mediations)."""
    quarters = {n: Quarter(n, dict.fromkeys(ClaimType.values, 0)) for n in (1, 2, 3, 4, 0)}
    for case in MediationCase.objects.filter(Q(applied_at__year=year) | Q(ended_on__year=year)).only(
        "applied_at", "claim_type", "state", "accepted_on", "ended_on", "agreement_number", "end_reason"
    ):
        applied = timezone.localtime(case.applied_at).date()
        if applied.year == year:
            for n in (_quarter(applied), 0):
                quarters[n].received[case.claim_type] += 1
        if case.ended_on is None or case.ended_on.year != year or case.accepted_on is None:
            continue
        for n in (_quarter(case.ended_on), 0):
            if case.agreement_number:
                quarters[n].settled += 1
            else:
                quarters[n].terminated += 1
            quarters[n].days.append(case.days_taken())
    return [quarters[n] for n in (1, 2, 3, 4, 0)]


@dataclass
class FundsRow:
    account: Account
    required: Decimal
    deposited: Decimal
    released: Decimal
    pending: Decimal

    @property
    def held(self) -> Decimal:
        return self.deposited - self.released


def funds_rows(accounts) -> list[FundsRow]:
    accounts = list(accounts.select_related("project__street").annotate(
        need=Sum("requirements__amount", distinct=False)))  # fmt: skip
    ids = [a.pk for a in accounts]
    deposited = dict(Account.objects.filter(pk__in=ids).values_list("pk").annotate(s=Sum("deposits__amount")))
    released, pending = {}, {}
    for account_id, state, total in (Release.objects.filter(account_id__in=ids).values_list("account_id", "state")
                                     .annotate(s=Sum("amount"))):  # fmt: skip
        if state == ReleaseState.RELEASED:
            released[account_id] = total
        elif state in (ReleaseState.APPLIED, ReleaseState.REFERRED, ReleaseState.APPROVED):
            pending[account_id] = pending.get(account_id, ZERO) + total
    return [FundsRow(a, a.need or ZERO, deposited.get(a.pk) or ZERO, released.get(a.pk, ZERO), pending.get(a.pk, ZERO))
            for a in accounts]  # fmt: skip


def funds_by_stage(rows: list[FundsRow]) -> list[tuple[str, int, Decimal, Decimal, Decimal, Decimal]]:
    """(stage label, projects, required, deposited, released, held) for each stage with an account."""
    found = []
    for value, label in ProjectStage.choices:
        mine = [r for r in rows if r.account.project.stage == value]
        if mine:
            found.append((label, len(mine), sum(r.required for r in mine), sum(r.deposited for r in mine),
                          sum(r.released for r in mine), sum(r.held for r in mine)))  # fmt: skip
    return found


def released_by_year(accounts) -> list[tuple[int, Decimal]]:
    rows = (Release.objects.filter(account__in=accounts, state=ReleaseState.RELEASED)
            .values_list("released_on__year").annotate(s=Sum("amount")).order_by("released_on__year"))  # fmt: skip
    return list(rows)
