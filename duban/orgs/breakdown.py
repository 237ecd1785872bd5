"""Figures by unit: a unit's own records as one row and each unit under it as another (counting
everything under it), as the cockpit and the supervision bulletins break their figures down."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit

# Units that are places rather than bodies that lead work: never rows of their own.
NOT_ROWS = (UnitKind.GRID, UnitKind.COMPOUND, UnitKind.EXTERNAL)


@dataclass
class Row:
    unit: Unit
    direct: bool = False  # the unit's own records only (the rows below it count the rest)

    @property
    def key(self) -> str:
        return f"{self.unit.pk}{'d' if self.direct else ''}"

    @property
    def query(self) -> dict:
        """The item list's filter for this row."""
        return {"unit": self.unit.pk, **({"direct": "on"} if self.direct else {})}

    @property
    def label(self) -> str:
        return self.unit.name

    def holds(self, path: str) -> bool:
        return path == self.unit.path if self.direct else path.startswith(self.unit.path)


def rows_under(units) -> list[Row]:
    """Each unit's children as rows, and the unit's own records as a row of their own (a unit
    without children is one row)."""
    rows = []
    for unit in units:
        children = list(unit.children.active().exclude(kind__in=NOT_ROWS).order_by("sort_order", "pk"))
        rows.extend([Row(unit, direct=True)] + [Row(child) for child in children] if children else [Row(unit)])
    return rows


def district_roots() -> list[Unit]:
    return list(Unit.objects.roots().active().exclude(kind__in=NOT_ROWS).order_by("sort_order", "pk"))


def units_condition(rows: list[Row], prefix: str = "lead_unit__") -> Q:
    """Records whose unit (`prefix` names it) falls in any of the rows."""
    condition = Q(pk__in=[])
    for row in rows:
        condition |= Q(**{f"{prefix}path": row.unit.path}) if row.direct else Q(
            **{f"{prefix}path__startswith": row.unit.path})  # fmt: skip
    return condition


def row_finder(rows: list[Row]):
    """unit id → its row (or None), memoised over the units' paths."""
    paths = dict(Unit.objects.values_list("pk", "path"))
    found: dict[int, Row | None] = {}

    def row_of(unit_id: int) -> Row | None:
        if unit_id not in found:
            path = paths.get(unit_id, "")
            found[unit_id] = next((row for row in rows if row.holds(path)), None)
        return found[unit_id]

    return row_of
