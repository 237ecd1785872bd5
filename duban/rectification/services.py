"""Audit rectification use-cases: 年初建账 (projects, findings, ledger items), 年中督办 (report and
prompt letters), 年末对账/销账 (reconciliation and carry-over), and the coverage plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from duban.core import derived
from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.ledger import access as ledger_access
from duban.ledger.choices import FINISHED_STATES, OPEN_STATES, ItemState, Light, NoticeLevel
from duban.ledger.models import Item, Ledger
from duban.ledger.services import LedgerPermissionError, item_create, item_transition, notice_issue
from duban.orgs.models import Unit, User
from duban.rectification import access
from duban.rectification.choices import AuditType, FindingStatus
from duban.rectification.models import AuditFinding, AuditProject, CoverageEntry, CoveragePlan


def _require_manager(actor: User | None) -> None:
    """`None` is the system (the demo, imports); a person must be allowed to manage audits."""
    if actor is not None:
        access.require_manager(actor)


#
# 年初建账
#


@transaction.atomic
def project_create(*, actor: User | None, **fields) -> AuditProject:
    _require_manager(actor)
    project = AuditProject(**fields)
    project.full_clean()
    save_with_history(project, actor=actor, reason="rectification.project.created")
    return project


@transaction.atomic
def finding_add(
    *, actor: User | None, project: AuditProject, responsible_unit: Unit | None = None, **fields
) -> AuditFinding:
    _require_manager(actor)
    project = AuditProject.objects.select_for_update().get(pk=project.pk)
    seq = (project.findings.aggregate(top=Max("seq"))["top"] or 0) + 1
    finding = AuditFinding(
        project=project, seq=seq, responsible_unit=responsible_unit or project.audited_unit, **fields
    )
    finding.full_clean()
    save_with_history(finding, actor=actor, reason="rectification.finding.added")
    return finding


def finding_items(finding: AuditFinding):
    return Item.objects.for_subject(finding)


@transaction.atomic
def finding_open_items(
    *,
    actor: User | None,
    finding: AuditFinding,
    ledger: Ledger,
    items: list[dict],
    at: dt.datetime | None = None,
) -> list[Item]:
    """Open (and assign) one ledger item per rectification measure of a finding."""
    _require_manager(actor)
    if ledger.year != finding.project.year and ledger.year != finding.project.year + 1:
        raise ValidationError({"ledger": _("Open the items in the audit year's rectification ledger.")})
    if not items:
        raise ValidationError(_("Give at least one rectification measure."))
    opened = []
    start = finding_items(finding).count()
    for n, spec in enumerate(items, start=start + 1):
        item = item_create(
            actor=actor,
            ledger=ledger,
            title=spec.get("title") or finding.title,
            lead_unit=spec.get("lead_unit") or finding.responsible_unit,
            content=finding.requirement,
            basis_kind="audit",
            basis_document=finding.project.report_number,
            category=AuditType(finding.project.audit_type).label,
            rectification_type=spec.get("rectification_type", ""),
            deadline=spec["deadline"],
            subject=finding,
            external_id=f"{finding.project.report_number}-{finding.seq}-{n}",
            at=at,
        )
        opened.append(item_transition(actor=actor, item=item, action="assign", at=at))
    return opened


@transaction.atomic
def finding_record_result(*, actor: User | None, finding: AuditFinding, amount_recovered: Decimal) -> AuditFinding:
    """The money the rectification recovered; the rules it built are counted from the rules
    registry (rules whose actions cite the finding, `duban.core.derived`), never typed."""
    _require_manager(actor)
    finding = AuditFinding.objects.select_for_update().get(pk=finding.pk)
    finding.amount_recovered = amount_recovered
    finding.full_clean()
    save_with_history(finding, actor=actor, reason="rectification.finding.result")
    return finding


#
# Status, reports
#


def finding_status(items: list[Item], today: dt.date) -> str:
    """A finding's rectification status from its current items (carried-over and cancelled ones left out)."""
    current = [item for item in items if item.state not in {ItemState.CANCELLED, ItemState.CARRIED_OVER}]
    if not current:
        return FindingStatus.NOT_OPENED
    if all(item.state in FINISHED_STATES for item in current):
        return FindingStatus.RECTIFIED
    if any(item.state in OPEN_STATES and item.overdue_days(today) > 0 for item in current):
        return FindingStatus.NOT_RECTIFIED
    return FindingStatus.ONGOING


def items_by_finding(findings) -> dict[int, list[Item]]:
    grouped: dict[int, list[Item]] = defaultdict(list)
    items = Item.objects.for_subjects(findings).select_related("lead_unit", "ledger")
    for item in items:
        grouped[item.subject_id].append(item)
    return grouped


@dataclass
class UnitMidyear:
    unit: Unit
    lights: dict[str, int] = field(default_factory=lambda: {Light.GREEN: 0, Light.YELLOW: 0, Light.RED: 0})
    items: list[Item] = field(default_factory=list)


def midyear_report(ledger: Ledger) -> list[UnitMidyear]:
    """年中督办: every open item of the ledger by responsible unit and light, worst units first."""
    rows: dict[int, UnitMidyear] = {}
    for item in ledger.items.filter(state__in=OPEN_STATES).select_related("lead_unit").order_by("seq"):
        row = rows.setdefault(item.lead_unit_id, UnitMidyear(unit=item.lead_unit))
        row.items.append(item)
        if item.light in row.lights:
            row.lights[item.light] += 1
    return sorted(rows.values(), key=lambda r: (-r.lights[Light.RED], -r.lights[Light.YELLOW], r.unit.name))


@transaction.atomic
def midyear_prompt_letters(
    *, actor: User | None, ledger: Ledger, lights: set[str], at: dt.datetime | None = None
) -> int:
    """Issue a prompt letter (提示函) to every open item showing one of `lights`, in one action.
    Each item gets at most one letter per year, however often this is run."""
    if actor is not None and not ledger_access.acts_for_office(actor, ledger):
        raise LedgerPermissionError(_("Only the supervising office issues prompt letters."))
    if not lights:
        raise ValidationError({"lights": _("Choose which lights get a prompt letter.")})
    at, today = moment(at)
    key = f"midyear:{today.year}"
    issued = 0
    for item in ledger.items.filter(state__in=OPEN_STATES, light__in=lights).exclude(notices__auto_key=key):
        reason = _("Mid-year supervision: %(light)s, progress %(progress)s%%, due %(deadline)s.") % {
            "light": Light(item.light).label,
            "progress": item.progress,
            "deadline": item.effective_deadline,
        }
        notice_issue(
            actor=actor, item=item, level=NoticeLevel.REMINDER, reason=reason, auto_rule="midyear", auto_key=key, at=at
        )
        issued += 1
    return issued


@dataclass
class UnitYearend:
    unit: Unit | None  # None on the 合计 line
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FindingStatus.values, 0))
    amount_involved: Decimal = Decimal(0)
    amount_recovered: Decimal = Decimal(0)
    rules_built: int = 0
    findings: list[tuple[AuditFinding, str]] = field(default_factory=list)


def yearend_report(year: int, today: dt.date) -> list[UnitYearend]:
    """年末对账: per responsible unit, findings rectified / ongoing / not rectified, and the money and
    rules that rectification produced."""
    findings = list(
        AuditFinding.objects.filter(project__year=year).select_related("responsible_unit", "project").order_by("seq")
    )
    items = items_by_finding(findings)
    rules = derived.counts_built_from(findings)
    rows: dict[int, UnitYearend] = {}
    for finding in findings:
        status = finding_status(items.get(finding.pk, []), today)
        row = rows.setdefault(finding.responsible_unit_id, UnitYearend(unit=finding.responsible_unit))
        row.counts[status] += 1
        row.amount_involved += finding.amount_involved
        row.amount_recovered += finding.amount_recovered
        row.rules_built += rules.get(finding.pk, 0)
        row.findings.append((finding, status))
    return sorted(rows.values(), key=lambda r: (-r.counts[FindingStatus.NOT_RECTIFIED], r.unit.name))


def findings_total(findings: list[AuditFinding]) -> UnitYearend:
    """The 合计 line under a project's findings: money involved and recovered, rules built."""
    total = UnitYearend(unit=None)
    rules = derived.counts_built_from(findings)
    for finding in findings:
        total.amount_involved += finding.amount_involved
        total.amount_recovered += finding.amount_recovered
        total.rules_built += rules.get(finding.pk, 0)
    return total


def yearend_total(rows: list[UnitYearend]) -> UnitYearend:
    """The 合计 line of the year-end report: every unit's counts, money and rules added up."""
    total = UnitYearend(unit=None)
    for row in rows:
        for status, n in row.counts.items():
            total.counts[status] += n
        total.amount_involved += row.amount_involved
        total.amount_recovered += row.amount_recovered
        total.rules_built += row.rules_built
    return total


#
# Coverage plan
#


@transaction.atomic
def coverage_plan_set(*, actor: User | None, plan: CoveragePlan, unit: Unit, years: list[int]) -> None:
    """Plan which years a unit is audited in (replacing what was planned before)."""
    _require_manager(actor)
    bad = [year for year in years if year not in plan.years]
    if bad:
        raise ValidationError({"years": _("Years outside the plan: %(years)s") % {"years": bad}})
    CoverageEntry.objects.filter(plan=plan, unit=unit).exclude(year__in=years).delete()
    for year in years:
        CoverageEntry.objects.get_or_create(plan=plan, unit=unit, year=year)


@dataclass
class CoverageRow:
    unit: Unit
    cells: list[tuple[int, bool, bool]]  # (year, planned, audited)


def coverage_matrix(plan: CoveragePlan) -> tuple[list[CoverageRow], list[dict]]:
    """Units × years with planned and audited marks, and per year the planned, audited and the
    cumulative share of the plan's units audited so far (the five-year coverage rate)."""
    planned = defaultdict(set)
    for unit_id, year in plan.entries.values_list("unit_id", "year"):
        planned[unit_id].add(year)
    units = list(Unit.objects.filter(pk__in=planned).order_by("sort_order", "id"))
    audited = defaultdict(set)
    for unit_id, year in AuditProject.objects.filter(
        audited_unit__in=units, year__gte=plan.first_year, year__lte=plan.last_year
    ).values_list("audited_unit_id", "year"):
        audited[unit_id].add(year)
    rows = [
        CoverageRow(unit=unit, cells=[(y, y in planned[unit.pk], y in audited[unit.pk]) for y in plan.years])
        for unit in units
    ]
    totals = []
    covered: set[int] = set()
    for year in plan.years:
        covered |= {unit.pk for unit in units if year in audited[unit.pk]}
        totals.append(
            {
                "year": year,
                "planned": sum(1 for unit in units if year in planned[unit.pk]),
                "audited": sum(1 for unit in units if year in audited[unit.pk]),
                "coverage": round(100 * len(covered) / len(units), 1) if units else 0.0,
            }
        )
    return rows, totals
