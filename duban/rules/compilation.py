"""制度汇编: choosing the rules to compile, issuing the compilation (a frozen list of versions), and
the book itself as .docx (cover, contents by category, each rule with its number and dates, in the
official document layout) and its index as .xlsx."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.official import book_docx, chinese_date
from duban.orgs.models import Unit, User
from duban.rules import access
from duban.rules.choices import COMPILATION_STEPS, RuleStatus
from duban.rules.models import Compilation, CompilationEntry, Rule, RuleCategory, RuleVersion

UNFILED = "其他"  # the heading of rules filed in no category


def compilation_create(
    *, actor: User | None, unit: Unit, title: str, units: list[Unit], categories: list[RuleCategory] = (),
    statuses: list[str] = (RuleStatus.IN_FORCE,),
) -> Compilation:  # fmt: skip
    access.require_keeper(actor, unit)
    if not units:
        raise ValidationError({"units": _("Choose the units whose rules are compiled.")})
    unknown = set(statuses) - set(RuleStatus.values)
    if unknown or not statuses:
        raise ValidationError({"statuses": _("Choose the statuses of the rules compiled.")})
    if any(category.unit_id not in {u.pk for u in units} for category in categories):
        raise ValidationError({"categories": _("Choose categories of the units compiled.")})
    compilation = Compilation(unit=unit, title=title.strip(), statuses=sorted(statuses),
                              created_by=actor if getattr(actor, "is_authenticated", False) else None)  # fmt: skip
    compilation.full_clean()
    save_with_history(compilation, actor=actor, reason="rules.compilation.created")
    compilation.units.set(units)
    compilation.categories.set(categories)
    return compilation


def _selected(compilation: Compilation) -> list[tuple[str, RuleVersion]]:
    """(category heading, current version) of the rules the compilation's choices select now."""
    rules = Rule.objects.filter(
        issuing_unit__in=compilation.units.all(), status__in=compilation.statuses, version__gt=0
    ).select_related("category", "issuing_unit")
    categories = list(compilation.categories.all())
    if categories:
        rules = rules.filter(category__in=categories)
    rules = list(rules.order_by("issuing_unit__sort_order", "issuing_unit_id", "category__sort_order",
                                "category_id", "adopted_on", "pk"))  # fmt: skip
    versions = {(v.rule_id, v.number): v for v in RuleVersion.objects.filter(rule__in=rules).select_related("rule")}
    return [(rule.category.name if rule.category else UNFILED, versions[(rule.pk, rule.version)]) for rule in rules]


def compilation_contents(compilation: Compilation) -> list[tuple[str, RuleVersion]]:
    """What the compilation holds: as issued, or as its choices select today while a draft."""
    entries = list(compilation.entries.select_related("version__rule__issuing_unit"))
    if not entries:  # a draft (an issued compilation holds at least one rule)
        return _selected(compilation)
    return [(entry.category_name, entry.version) for entry in entries]


@transaction.atomic
def compilation_issue(*, actor: User | None, compilation: Compilation, at: dt.datetime | None = None) -> Compilation:
    """Freeze the compilation: the versions it holds now are the ones it was issued with."""
    compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
    move = COMPILATION_STEPS.check(
        compilation.state, "issue", may=lambda _m: actor is None or access.keeps_rules_of(actor, compilation.unit),
        refusal=_("Only the compiling unit and the office issue its compilation."),
    )  # fmt: skip
    contents = _selected(compilation)
    if not contents:
        raise ValidationError(_("The compilation holds no rule: choose other units, categories or statuses."))
    CompilationEntry.objects.bulk_create(
        CompilationEntry(compilation=compilation, version=version, category_name=heading, position=n)
        for n, (heading, version) in enumerate(contents, start=1)
    )
    compilation.state = move.target
    compilation.issued_at = at or timezone.now()
    compilation.issued_by = actor if getattr(actor, "is_authenticated", False) else None
    save_with_history(compilation, actor=actor, reason=move.event)
    return compilation


def _dates(version: RuleVersion) -> str:
    parts = [version.document_number] if version.document_number else []
    parts.append(_("adopted %(date)s") % {"date": chinese_date(version.adopted_on)})
    parts.append(_("effective %(date)s") % {"date": chinese_date(version.effective_on)})
    return "　".join(parts)


def compilation_docx(compilation: Compilation) -> bytes:
    contents = compilation_contents(compilation)
    sections: dict[str, list] = {}
    for heading, version in contents:
        paragraphs = [line.strip() for line in version.text.splitlines() if line.strip()]
        sections.setdefault(heading, []).append((version.title, _dates(version), paragraphs))
    date = timezone.localdate(compilation.issued_at) if compilation.issued_at else timezone.localdate()
    return book_docx(
        title=compilation.title,
        issuer=compilation.unit.name,
        date=date,
        sections=list(sections.items()),
        contents_label=_("Contents"),
        draft_label="" if compilation.issued_at else _("Draft: not issued"),
    )


def compilation_index(compilation: Compilation) -> tuple[list[str], list[list]]:
    """The .xlsx index: one row per rule, in the book's order."""
    columns = [_("No."), _("Category"), _("Title"), _("Issuing unit"), _("Document number"), _("Adopted on"),
               _("Effective on"), _("Version")]  # fmt: skip
    rows = [
        [n, heading, version.title, version.rule.issuing_unit.name, version.document_number, version.adopted_on,
         version.effective_on, version.number]
        for n, (heading, version) in enumerate(compilation_contents(compilation), start=1)
    ]  # fmt: skip
    return columns, rows
