"""Whose figures a person sees on the cockpit: the whole district for the office, supervisors and
the main district leaders; a leader in charge, the units of their portfolio; a unit head, their
unit. Each scope is a list of rows (a unit and everything under it, or a unit's own items only)
and the query the drill-down lists are filtered with."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from duban.orgs import access as org_access
from duban.orgs.breakdown import Row, district_roots, rows_under, units_condition
from duban.orgs.choices import PositionRole, Role
from duban.orgs.filters import UnitsFilterForm
from duban.orgs.models import LeaderPortfolio, Position, Unit


@dataclass
class Scope:
    title: str
    rows: list[Row]
    query: dict = field(default_factory=dict)  # what the totals' drill-down lists are filtered by
    district: bool = False

    @property
    def totals_linked(self) -> bool:
        """Whether one item list shows the scope's totals (not for a head of several units)."""
        return self.district or bool(self.query)

    @property
    def list_query(self) -> dict | None:
        """A list's filters for the scope's units: none for the whole district; a unit (with the units
        under it, or itself only) or a leader's portfolio; None when no one list shows them (a head
        of several units)."""
        if self.district:
            return {}
        return dict(self.query) if self.totals_linked else None

    def narrowed(self, found, field: str = "unit"):
        """`found` narrowed to the scope's units by `field`, with the lists' own units filter where one
        list shows them (so a figure and its list count the same records)."""
        if self.district:
            return found
        query = self.list_query
        units = UnitsFilterForm(query).units() if query else None
        if units is None:
            return found.filter(self.units_condition(f"{field}__"))
        return found.filter(**{f"{field}__in": units})

    def units_condition(self, prefix: str = "lead_unit__") -> Q:
        """Records whose unit (`prefix` names it) falls in the scope."""
        return units_condition(self.rows, prefix)


def may_see(user) -> bool:
    return bool(_kind_of(user))


def _kind_of(user) -> str:
    roles = org_access.roles_of(user)
    if roles & {Role.OFFICE_ADMIN, Role.SUPERVISOR}:
        return "district"
    if Role.DISTRICT_LEADER in roles:
        return "district" if org_access.is_main_leader(user) else "portfolio"
    if Role.UNIT_HEAD in roles:
        return "unit"
    return ""


def scope_of(user, unit: Unit | None = None) -> Scope:
    """The user's scope, or, with `unit`, the part of it under that unit (refused outside it)."""
    kind = _kind_of(user)
    if not kind:
        raise PermissionDenied(_("The cockpit is for district leaders, the supervising offices and unit heads."))
    person = org_access.person_of(user)
    if kind == "district":
        whole = Scope(_("The whole district"), rows_under(district_roots()), {}, district=True)
    elif kind == "portfolio":
        units = Unit.objects.filter(portfolios__in=LeaderPortfolio.objects.current().filter(leader=person))
        whole = Scope(_("Units in your charge"), [Row(u) for u in units.distinct().order_by("sort_order", "pk")],
                      {"portfolio": person.pk})  # fmt: skip
    else:
        posts = Position.objects.official().filter(person=person, role=PositionRole.HEAD)
        units = list(Unit.objects.filter(positions__in=posts).distinct().order_by("sort_order", "pk"))
        whole = Scope(units[0].name if len(units) == 1 else _("Your units"), rows_under(units),
                      {"unit": units[0].pk} if len(units) == 1 else {})  # fmt: skip
    if unit is None:
        return whole
    if not any(unit.is_within(row.unit) for row in whole.rows if not row.direct):
        raise PermissionDenied(_("This unit is outside what you oversee."))
    return Scope(unit.name, rows_under([unit]), {"unit": unit.pk}, district=False)
