"""Money: each project's budget cap, contract amount and instalments paid, and the totals per kind
for a year (the year of the topic call)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from duban.research.choices import TopicKind
from duban.research.models import Instalment, Project


@dataclass
class Row:
    project: Project
    cap: Decimal
    contracted: Decimal
    paid: Decimal

    @property
    def unpaid(self) -> Decimal:
        return self.contracted - self.paid


@dataclass
class Money:
    year: int
    rows: list[Row]
    kinds: list[tuple[str, Decimal, Decimal, Decimal]] = field(default_factory=list)  # label, cap, contracted, paid
    total: tuple[Decimal, Decimal, Decimal] = (Decimal(0), Decimal(0), Decimal(0))


def money(year: int) -> Money:
    projects = list(Project.objects.filter(topic__call__year=year).select_related("contract", "topic__unit"))
    paid = dict(
        Instalment.objects.filter(contract__project__in=projects, paid_on__isnull=False)
        .values("contract__project").annotate(total=Sum("amount")).values_list("contract__project", "total")
    )  # fmt: skip
    rows = [
        Row(p, p.budget_cap, p.contract.amount if hasattr(p, "contract") else Decimal(0), paid.get(p.pk, Decimal(0)))
        for p in projects
    ]
    by_kind = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for row in rows:
        sums = by_kind[row.project.kind]
        sums[0] += row.cap
        sums[1] += row.contracted
        sums[2] += row.paid
    kinds = [(str(label), *by_kind[value]) for value, label in TopicKind.choices if value in by_kind]
    total = tuple(sum((k[i] for k in kinds), Decimal(0)) for i in (1, 2, 3))
    return Money(year, rows, kinds, total)
