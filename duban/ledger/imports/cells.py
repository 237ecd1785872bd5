"""Reading the cells of a row as the office wrote them: choices by code or label, units by name,
short name, alias or the way offices write them, and what a row says of an audit or a reform."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from duban.ledger.values import amount_of
from duban.orgs.choices import RecordState
from duban.orgs.models import Unit, UnitAlias


def choice_lookup(choices) -> dict[str, str]:
    """Accept the stored code, the English label and the Chinese label (with or without notes)."""
    lookup = {}
    for value, label in choices.choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                text = str(label)
            lookup[text] = value
            lookup[re.sub(r"[（(].*?[)）]", "", text).strip()] = value
        lookup[value] = value
    return lookup


def units_by_name() -> tuple[dict[str, Unit], set[str]]:
    """Active units by name, short name and the other names offices gave them (`UnitAlias`)."""
    by_name: dict[str, Unit] = {}
    ambiguous: set[str] = set()
    for unit in Unit.objects.active():
        for name in {unit.name, unit.short_name} - {""}:
            if name in by_name and by_name[name].pk != unit.pk:
                ambiguous.add(name)
            by_name[name] = unit
    for alias in UnitAlias.objects.filter(unit__state=RecordState.ACTIVE).select_related("unit"):
        by_name.setdefault(alias.name, alias.unit)
    return by_name, ambiguous


def unit_names(name: str) -> list[str]:
    """The name as written, then as the unit list spells it: 东门街道办事处 is 东门街道, 罗湖区住房和建设局
    is 区住房和建设局, 深圳市罗湖区东门街道 is 东门街道."""
    names = [name]
    for prefix, replacement in (("深圳市罗湖区", ""), ("深圳市罗湖区", "区"), ("罗湖区", ""), ("罗湖区", "区")):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            names.append(replacement + name[len(prefix) :])
    for suffix in ("办事处", "人民政府"):
        names.extend(candidate.removesuffix(suffix) for candidate in list(names) if candidate.endswith(suffix))
    return names


def unit_of(name: str, units: dict[str, Unit], ambiguous: set[str]) -> Unit | str:
    """The unit a ledger names, or why there is none (in the user's language)."""
    for candidate in unit_names(name):
        if candidate in ambiguous:
            return _("“%(name)s” names more than one unit; use the full name.") % {"name": name}
        if candidate in units:
            return units[candidate]
    return _("No active unit is called “%(name)s”.") % {"name": name}


def audit_of(spec, cell, error, unknown, positions, headers, units, ambiguous) -> None:
    """The audit project and finding a row of an audit rectification ledger records (the import
    creates or matches them, `services.imports`): project, audited unit, amount, requirement."""
    project = str(cell("audit_project") or "")
    if not project:
        return
    if len(project) > 150:
        error("audit_project", _("At most %(n)s characters.") % {"n": 150})
    audit = {"project": project, "requirement": str(cell("requirement") or ""), "amount": Decimal(0)}
    audited = str(cell("audited_unit") or "")
    if audited:
        found = unit_of(audited, units, ambiguous)
        if isinstance(found, Unit):
            audit["audited_unit"] = found
        else:
            error("audited_unit", found)
            unknown(audited)
    amount = cell("amount")
    if amount not in (None, ""):
        try:
            audit["amount"] = amount_of(amount)
        except ValueError:
            error("amount", _("“%(value)s” is not an amount such as 12.5 or 1,234.50元.") % {"value": amount})
        else:
            if "万元" in headers[positions["amount"]] and not str(amount).strip().endswith(("元", "万")):
                audit["amount"] *= 10_000  # the header says the column is in 万元
            if audit["amount"] < 0:
                error("amount", _("An amount cannot be negative."))
    spec["audit"] = audit


# Words offices write for a reform's special group and level, and what they mean.
GROUP_WORDS = [("党建", "party_building"), ("纪检", "party_building"), ("政府", "government"), ("政务", "government"),
               ("发展空间", "development_space"), ("城市更新", "development_space"), ("民生", "public_services"),
               ("公共服务", "public_services"), ("产业", "industry"), ("营商", "industry"), ("基层", "grassroots"),
               ("生态", "ecology"), ("环境", "ecology")]  # fmt: skip
LEVEL_WORDS = [("国家", "national"), ("中央", "national"), ("省", "provincial"), ("市", "municipal"),
               ("微", "micro"), ("重点", "key"), ("区级", "key")]  # fmt: skip


def reform_of(spec, cell, error) -> None:
    """The reform a row of a reform ledger records (the import creates or matches it by year and
    title, `reforms.imports`): special group, level (区级重点改革 when the sheet does not say), goals."""
    group_text, level_text = str(cell("special_group") or ""), str(cell("reform_level") or "")
    if not group_text:
        return
    group = next((code for word, code in GROUP_WORDS if word in group_text), None)
    if group is None:
        error("special_group", _("“%(value)s” names no special group.") % {"value": group_text})
    level = next((code for word, code in LEVEL_WORDS if word in level_text), None) if level_text else "key"
    if level is None:
        error("reform_level", _("“%(value)s” names no reform level.") % {"value": level_text})
    if not spec.get("deadline"):
        error("deadline", _("A reform needs a deadline date."))
    goals = str(cell("goals") or "") or spec.get("content", "") or spec["title"]
    spec["reform"] = {"group": group, "level": level, "goals": goals}


def extra_value(value) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value)
