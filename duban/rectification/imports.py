"""An audit rectification ledger imported from the office's own workbook: its rows become audit
projects and findings (`duban.ledger.owners.import_subjects`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import ngettext

from duban.ledger.models import ImportJob, Item
from duban.rectification.models import AuditFinding, AuditProject
from duban.rectification.services import finding_add, project_create

AUDIT_TYPES_BY_WORD = [("预算执行", "budget"), ("经济责任", "economic"), ("内部审计", "internal")]
FINDING_TYPES_BY_WORD = [("违规", "violation"), ("违反", "violation"), ("内控", "control"), ("内部控制", "control"),
                         ("绩效", "performance"), ("效益", "performance")]  # fmt: skip


class AuditFindings:
    """The audit projects and findings an audit ledger's rows record, created or matched as the
    import writes them: a project by year and name (its report number and date are the import's
    until the office corrects them on the audit's page), a finding by project and title. Each
    row's item is about its finding (`Item.subject`), so it is in 年中督办 and 年末对账 at once."""

    model = AuditFinding

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.projects: dict[str, AuditProject] = {}
        self.created: dict[str, list[int]] = {"projects": [], "findings": []}

    def _project(self, name: str, audit: dict, spec: dict) -> AuditProject:
        if name not in self.projects:
            ledger = self.job.ledger
            project = AuditProject.objects.filter(year=ledger.year, name=name).first()
            if project is None:
                kind = next((code for word, code in AUDIT_TYPES_BY_WORD if word in name), "special")
                # no 文号 in the sheet: a placeholder that says so, until the office enters the real one
                number = spec.get("basis_document") or f"待补录{self.job.pk}-{len(self.projects) + 1}"
                if AuditProject.objects.filter(report_number=number).exists():
                    number = f"{number}（待补录{self.job.pk}）"[:60]
                project = project_create(
                    actor=None,  # the import is the office's; rectification's manager rule is for its pages
                    year=ledger.year,
                    name=name,
                    audit_type=kind,
                    audited_unit=audit.get("audited_unit") or spec["lead_unit"],
                    report_number=number[:60],
                    report_date=timezone.localdate(self.job.created_at),
                )
                self.created["projects"].append(project.pk)
            self.projects[name] = project
        return self.projects[name]

    def subject_of(self, spec: dict) -> dict:
        """The spec with its finding as subject, when the row records an audit project."""
        audit = spec.get("audit")
        if not audit:
            return spec
        project = self._project(audit["project"], audit, spec)
        finding = project.findings.filter(title=spec["title"][:200]).first()
        if finding is None:
            category = spec.get("category", "")
            finding = finding_add(
                actor=None,
                project=project,
                responsible_unit=spec["lead_unit"],
                title=spec["title"][:200],
                finding_type=next((code for word, code in FINDING_TYPES_BY_WORD if word in category), "management"),
                amount_involved=audit["amount"],
                requirement=audit["requirement"] or spec["title"],
            )
            self.created["findings"].append(finding.pk)
        return {**spec, "subject": finding}

    @staticmethod
    def summary(created: dict) -> list[str]:
        projects, findings = len(created.get("projects", [])), len(created.get("findings", []))
        made = [ngettext("%(n)s audit project", "%(n)s audit projects", projects) % {"n": projects}] if projects else []
        if findings:
            made.append(ngettext("%(n)s audit finding", "%(n)s audit findings", findings) % {"n": findings})
        return made

    @staticmethod
    def values_of_many(ids) -> dict[int, dict]:
        """What a row in the office's layout shows of each finding (amounts in yuan), by its id."""
        findings = AuditFinding.objects.filter(pk__in=ids).select_related("project__audited_unit")
        return {
            finding.pk: {
                "audit_project": finding.project.name,
                "audited_unit": finding.project.audited_unit.name,
                "amount": finding.amount_involved,
                "requirement": finding.requirement,
            }
            for finding in findings
        }

    @staticmethod
    def remove(created: dict) -> None:
        """A withdrawn import's findings and projects go with its items: those it created and
        that no other item or finding has come to need."""
        findings = AuditFinding.objects.filter(pk__in=created.get("findings", []))
        unused = [finding.pk for finding in findings if not Item.objects.for_subject(finding).exists()]
        AuditFinding.objects.filter(pk__in=unused).delete()
        AuditProject.objects.filter(pk__in=created.get("projects", []), findings__isnull=True).delete()
