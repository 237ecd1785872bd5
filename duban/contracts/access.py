"""Who may do what with construction contracts. The public-works agency drafts the template; the
justice bureau reviews its legality; a contract's owner (its unit's people) signs it, records its
key nodes and scores its ratings, and the owner's head approves a rating. The office administrators
may do what the agency does."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from duban.contracts.models import ContractsSettings
from duban.orgs import access as org_access
from duban.orgs.choices import PositionRole
from duban.orgs.models import Position, Unit


def acts_for(user, unit: Unit | None) -> bool:
    if user is None:
        return True
    return unit is not None and any(unit.is_within(root) for root in org_access.scope_roots(user))


def heads(user, unit: Unit) -> bool:
    """The unit's head (or the head of a unit above it)."""
    if user is None:
        return True
    person = org_access.person_of(user)
    if person is None or not person.is_active:
        return False
    headed = Unit.objects.filter(positions__in=Position.objects.official().filter(person=person,
                                                                                  role=PositionRole.HEAD))  # fmt: skip
    return any(unit.is_within(root) for root in headed)


def in_agency(user) -> bool:
    return user is None or org_access.is_office_admin(user) or acts_for(user, ContractsSettings.current().agency)


def in_justice(user) -> bool:
    return user is None or acts_for(user, ContractsSettings.current().justice)


def require_agency(user) -> None:
    if not in_agency(user):
        raise PermissionDenied(_("Only the public-works agency drafts the contract template."))


def require_owner(user, contract) -> None:
    if not acts_for(user, contract.owner):
        raise PermissionDenied(_("Only the contract's owner does this."))
