"""年度改革考评: each street and department scored under the year's rules — base, capped bonuses
(excellent reforms from the published panels, reforms adopted upward, recognitions), deductions
(no reform undertaken; the negative points of the reform ledger's scoring feed) — streets ranked
apart from departments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.ledger.choices import LedgerKind
from duban.ledger.services import scoring_feed
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User
from duban.reforms.access import check_manager
from duban.reforms.choices import PanelState
from duban.reforms.models import Appraisal, AppraisalBonus, ExpertPanel, Reform
from duban.reforms.rounds import panel_results
from duban.reforms.tolerance import exempted_item_ids


def total(base: Decimal, bonuses: Decimal, deductions: Decimal, cap: Decimal, floor: Decimal) -> Decimal:
    """base + min(bonuses, cap) − deductions, never below the floor."""
    return max(Decimal(floor), Decimal(base) + min(Decimal(bonuses), Decimal(cap)) - Decimal(deductions))


def grade(score: Decimal, grades: list) -> str:
    """The first grade whose threshold the score reaches, else 较差."""
    for threshold, label in grades:
        if score >= Decimal(str(threshold)):
            return label
    return _("Poor")


@dataclass
class Row:
    unit: Unit
    group: str  # "street" or "department"
    reforms: int
    bonus_items: list[tuple[str, Decimal]] = field(default_factory=list)
    deduction_items: list[tuple[str, Decimal]] = field(default_factory=list)
    bonus: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)
    score: Decimal = Decimal(0)
    rank: int = 0
    grade: str = ""


def appraisal_of(year: int) -> Appraisal:
    """The year's appraisal under its rules; unsaved until a bonus is recorded (reading writes nothing)."""
    return Appraisal.objects.filter(year=year).first() or Appraisal(year=year)


def appraised_units():
    district_units = Unit.objects.active().filter(parent__kind=UnitKind.DISTRICT)
    return district_units.filter(kind__in=[UnitKind.STREET, UnitKind.DEPARTMENT]).order_by("kind", "sort_order", "id")


def rows(appraisal: Appraisal) -> list[Row]:
    """Every street and department, scored and ranked within its group."""
    rules = appraisal.rules
    units = list(appraised_units())
    led = defaultdict(int)
    for unit_id in Reform.objects.filter(year=appraisal.year).values_list("lead_unit_id", flat=True):
        led[unit_id] += 1
    excellent = defaultdict(list)
    for panel in ExpertPanel.objects.filter(year=appraisal.year, state=PanelState.PUBLISHED):
        for result in panel_results(panel):
            if result.excellent:
                excellent[result.reform.lead_unit_id].append(result.reform.title)
    feed = scoring_feed(  # 容错: an exempted setback costs nothing
        year=appraisal.year, kind=LedgerKind.REFORM, sign=-1, excluding_items=exempted_item_ids(appraisal.year)
    )
    # a broken commitment in the treasury green channel: a supplement overdue or late (容缺受理)
    broken = scoring_feed(year=appraisal.year, kind=LedgerKind.PAYMENTS, sign=-1)
    recorded = defaultdict(list)
    for bonus in AppraisalBonus.objects.filter(appraisal__year=appraisal.year):
        recorded[bonus.unit_id].append(bonus)
    result = []
    for unit in units:
        row = Row(unit=unit, group="street" if unit.kind == UnitKind.STREET else "department", reforms=led[unit.pk])
        for title in excellent[unit.pk]:
            row.bonus_items.append(
                (_("Excellent reform: %(title)s") % {"title": title}, Decimal(rules["excellent_reform"]))
            )
        for bonus in recorded[unit.pk]:
            label = _("%(kind)s: %(note)s") % {"kind": bonus.get_kind_display(), "note": bonus.note}
            row.bonus_items.append((label, Decimal(rules[bonus.kind])))
        if not row.reforms:
            row.deduction_items.append((_("No reform this year"), Decimal(rules["no_reform"])))
        if feed.get(unit.pk):
            row.deduction_items.append((_("Overdue items and notices in the reform ledger"), -Decimal(feed[unit.pk])))
        if broken.get(unit.pk):
            label = _("Missing documents supplied late in the treasury green channel")
            row.deduction_items.append((label, -Decimal(broken[unit.pk])))
        row.bonus = sum((points for _label, points in row.bonus_items), Decimal(0))
        row.deductions = sum((points for _label, points in row.deduction_items), Decimal(0))
        row.score = total(rules["base"], row.bonus, row.deductions, rules["bonus_cap"], rules["floor"])
        row.grade = grade(row.score, rules["grades"])
        result.append(row)
    for group in ("street", "department"):
        ranked = sorted((r for r in result if r.group == group), key=lambda r: (-r.score, r.unit.sort_order, r.unit.pk))
        previous, rank = None, 0
        for position, row in enumerate(ranked, start=1):
            if row.score != previous:
                rank, previous = position, row.score
            row.rank = rank
    return sorted(result, key=lambda r: (r.group != "street", r.rank, r.unit.sort_order))


@transaction.atomic
def bonus_add(
    *, actor: User | None, appraisal: Appraisal, unit: Unit, kind: str, note: str, reform=None
) -> AppraisalBonus:
    check_manager(actor)
    appraisal, _created = Appraisal.objects.get_or_create(year=appraisal.year)
    if appraisal.published_at:
        raise ValidationError(_("The appraisal is published; it no longer changes."))
    if not note.strip():
        raise ValidationError({"note": _("Say what the bonus is for.")})
    bonus = AppraisalBonus(appraisal=appraisal, unit=unit, kind=kind, note=note.strip(), reform=reform)
    bonus.full_clean()
    bonus.save()
    return bonus


APPRAISAL_HEADERS = [
    "分组",
    "排名",
    "单位",
    "改革项目数",
    "基础分",
    "加分",
    "扣分",
    "总分",
    "等次",
    "加分事项",
    "扣分事项",
]


def points(value) -> str:
    """A score as people write it: 102, 6.5 (PostgreSQL returns 102.00 where SQLite returns 102)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def export_rows(appraisal: Appraisal):
    for row in rows(appraisal):
        yield (
            "街道" if row.group == "street" else "部门",
            row.rank,
            row.unit.name,
            row.reforms,
            appraisal.rules["base"],
            row.bonus,
            row.deductions,
            row.score,
            row.grade,
            "；".join(f"{label}（+{points(value)}）" for label, value in row.bonus_items),
            "；".join(f"{label}（-{points(value)}）" for label, value in row.deduction_items),
        )
