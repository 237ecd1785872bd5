"""建章立制 in figures, per unit, computed from the registry: categories, rules, rules newly made and
rules revised through the plans' actions, and how far the public rules reached."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from duban.orgs.models import Unit
from duban.rules.choices import ActionKind, ActionStage, RuleScope
from duban.rules.models import Rule, RuleAction
from duban.rules.publicity import Reach, reach_of


@dataclass
class UnitRules:
    unit: Unit
    categories: int = 0
    rules: int = 0
    in_force: int = 0
    made: int = 0  # rules made through an action that took effect (新制定)
    revised: int = 0  # rules supplemented or amended through one (修改完善), each rule once
    repealed: int = 0
    reach: Reach = field(default_factory=Reach)


def rules_summary(year: int | None = None) -> list[UnitRules]:
    """Every unit with rules; `year` counts only the actions of that year's plans."""
    rules = Rule.objects.exclude(version=0)
    per_unit = {
        row["issuing_unit"]: row
        for row in rules.values("issuing_unit").annotate(
            n=Count("pk"),
            categories=Count("category", distinct=True),
            in_force=Count("pk", filter=Q(status="in_force")),
            repealed=Count("pk", filter=Q(status="repealed")),
        )
    }
    actions = RuleAction.objects.filter(stage=ActionStage.APPLIED)
    if year:
        actions = actions.filter(plan__year=year)
    made = dict(actions.filter(kind=ActionKind.MAKE).values_list("plan__unit").annotate(n=Count("rule", distinct=True)))
    revised = dict(
        actions.filter(kind__in=[ActionKind.SUPPLEMENT, ActionKind.AMEND])
        .values_list("plan__unit")
        .annotate(n=Count("rule", distinct=True))
    )
    units = Unit.objects.in_bulk(per_unit)
    summary = []
    for unit_id, row in per_unit.items():
        public = Rule.objects.filter(issuing_unit_id=unit_id, scope=RuleScope.PUBLIC)
        summary.append(
            UnitRules(
                unit=units[unit_id],
                categories=row["categories"],
                rules=row["n"],
                in_force=row["in_force"],
                made=made.get(unit_id, 0),
                revised=revised.get(unit_id, 0),
                repealed=row["repealed"],
                reach=reach_of(public),
            )  # fmt: skip
        )
    return sorted(summary, key=lambda row: (row.unit.sort_order, row.unit.pk))
