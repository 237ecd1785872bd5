"""States, kinds, roles and transition tables of the organisation context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.transitions import Table, move


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street (subdistrict)")
    COMMUNITY = "community", _("Community")
    COMPOUND = "compound", _("Residential compound")
    GRID = "grid", _("Grid")
    DEPARTMENT = "department", _("District department")
    COMMISSION = "commission", _("Party organ, commission or office")
    BRANCH = "branch", _("Municipal branch in the district")
    EXTERNAL = "external", _("External body")


# Which kinds may sit directly below which; the tree refuses anything else.
ALLOWED_CHILD_KINDS: dict[str | None, set[str]] = {
    None: {UnitKind.DISTRICT, UnitKind.EXTERNAL},
    UnitKind.DISTRICT: {UnitKind.STREET, UnitKind.DEPARTMENT, UnitKind.COMMISSION, UnitKind.BRANCH},
    UnitKind.STREET: {UnitKind.COMMUNITY, UnitKind.DEPARTMENT},
    UnitKind.COMMUNITY: {UnitKind.COMPOUND, UnitKind.GRID},
    UnitKind.COMPOUND: {UnitKind.GRID},
    UnitKind.GRID: set(),
    UnitKind.DEPARTMENT: {UnitKind.DEPARTMENT},
    UnitKind.COMMISSION: {UnitKind.COMMISSION, UnitKind.DEPARTMENT},
    UnitKind.BRANCH: {UnitKind.DEPARTMENT},
    UnitKind.EXTERNAL: {UnitKind.EXTERNAL},
}


class RecordState(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


# Units and people are never deleted: they are retired, and may be restored.
RECORD_MOVES = Table(
    RecordState,
    [
        move("retire", _("Retire"), {RecordState.ACTIVE}, RecordState.RETIRED),
        move("restore", _("Restore"), {RecordState.RETIRED}, RecordState.ACTIVE),
    ],
)


class PositionRole(models.TextChoices):
    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy / member of the leadership")
    STAFF = "staff", _("Staff")
    LIAISON = "liaison", _("Liaison")


class LeaderRank(models.TextChoices):
    MAIN = "main", _("Main district leader")
    IN_CHARGE = "in_charge", _("District leader in charge")


class AccountType(models.TextChoices):
    OFFICIAL = "official", _("Official")
    RESIDENT = "resident", _("Resident or enterprise")
    EXTERNAL = "external", _("External expert or evaluator")


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("Office administrator")
    DISTRICT_LEADER = "district_leader", _("District leader")
    UNIT_HEAD = "unit_head", _("Unit head")
    UNIT_STAFF = "unit_staff", _("Unit staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    EXPERT = "expert", _("Expert")
    RESIDENT = "resident", _("Resident")


# Change reasons written on every history row; shown to users through their labels.
CHANGE_LABELS: dict[str, str] = {
    "orgs.unit.created": _("Unit created"),
    "orgs.unit.updated": _("Unit updated"),
    "orgs.unit.moved": _("Unit moved"),
    "orgs.unit.retired": _("Unit retired"),
    "orgs.unit.restored": _("Unit restored"),
    "orgs.person.created": _("Person created"),
    "orgs.person.updated": _("Person updated"),
    "orgs.person.retired": _("Person retired"),
    "orgs.person.restored": _("Person restored"),
    "orgs.position.assigned": _("Position assigned"),
    "orgs.position.ended": _("Position ended"),
    "orgs.portfolio.created": _("Portfolio created"),
    "orgs.portfolio.updated": _("Portfolio updated"),
    "orgs.portfolio.ended": _("Portfolio ended"),
    "orgs.user.created": _("Account created"),
    "orgs.user.updated": _("Account updated"),
}
