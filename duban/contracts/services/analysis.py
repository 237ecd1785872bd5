"""The analysis of existing contracts (the article's 29): each entered with the checklist clauses it
has and how its schedule and settlement went; the matrix of clauses by contract and the common gaps."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.contracts import access
from duban.contracts.models import AnalysedContract, ClauseItem
from duban.core.money import clean_amount
from duban.core.workdays import moment
from duban.orgs.models import User

# The checklist the agency and the justice bureau analysed against: (code, clause).
CHECKLIST = [
    ("key_nodes", "关键节点工期要求"), ("schedule_bonus", "履约评价与工期奖罚挂钩"), ("delay_damages", "误期赔偿"),
    ("acceleration", "赶工及赶工费用"), ("suspension", "暂停施工"), ("price_adjustment", "价格调整"),
    ("variation", "变更估价"), ("progress_payment", "进度款支付"), ("settlement_deadline", "竣工结算期限"),
    ("performance_rating", "履约评价"), ("dispute", "争议解决"),
]  # fmt: skip


def standard_checklist() -> int:
    """The checklist's clauses, added once; how many were added."""
    added = 0
    for order, (code, name) in enumerate(CHECKLIST, start=1):
        _item, made = ClauseItem.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
        added += made
    return added


@transaction.atomic
def analysed_add(*, actor: User | None, clauses: list[ClauseItem], at=None, **fields) -> AnalysedContract:
    at, _today = moment(at)
    access.require_agency(actor)
    fields["amount"] = clean_amount(fields.get("amount"))
    found = AnalysedContract(created_at=at, **fields)
    if AnalysedContract.objects.filter(project=found.project, contractor=found.contractor).exists():
        raise ValidationError({"project": _("This project with this contractor is already in the analysis.")})
    if found.starts_on and found.ends_on and found.ends_on <= found.starts_on:
        raise ValidationError({"ends_on": _("The completion date comes after the commencement date.")})
    found.full_clean()
    found.save()
    found.clauses.set(clauses)
    return found


@dataclass
class Matrix:
    clauses: list[ClauseItem]
    rows: list[tuple[AnalysedContract, list[bool]]]

    @property
    def present(self) -> list[int]:
        """How many contracts have each clause."""
        return [sum(row[1][i] for row in self.rows) for i in range(len(self.clauses))]

    def gaps(self, share: float = 0.5) -> list[tuple[ClauseItem, int]]:
        """The clauses missing from at least `share` of the contracts, most missing first."""
        total = len(self.rows)
        missing = [(clause, total - n) for clause, n in zip(self.clauses, self.present, strict=True)]
        return sorted([m for m in missing if total and m[1] >= total * share], key=lambda m: -m[1])


def matrix(contracts=None) -> Matrix:
    clauses = list(ClauseItem.objects.all())
    found = (contracts if contracts is not None else AnalysedContract.objects.all()).prefetch_related("clauses")
    rows = []
    for contract in found:
        have = {c.pk for c in contract.clauses.all()}
        rows.append((contract, [c.pk in have for c in clauses]))
    return Matrix(clauses, rows)
