"""Who may do what with construction contracts. The public-works agency drafts the template; the
justice bureau reviews its legality; a contract's owner (its unit's people) signs it, records its
key nodes and scores its ratings, and the owner's head approves a rating. The office administrators
may do what the agency does."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from duban.contracts.models import Contract, ContractsSettings
from duban.orgs import access as org_access
from duban.orgs.choices import UnitKind
from duban.orgs.models import Position, Unit


def acts_for(user, unit: Unit | None) -> bool:
    if user is None:
        return True
    return unit is not None and any(unit.is_within(root) for root in org_access.scope_roots(user))


def heads(user, unit: Unit) -> bool:
    return user is None or org_access.heads(user, unit)


def in_agency(user) -> bool:
    return user is None or org_access.is_office_admin(user) or acts_for(user, ContractsSettings.current().agency)


def signs(user) -> bool:
    """Registers contracts as their owner: the agency's own people (not the office administrators,
    who may draft templates but own no contract)."""
    return user is None or acts_for(user, ContractsSettings.current().agency)


def in_justice(user) -> bool:
    return user is None or acts_for(user, ContractsSettings.current().justice)


def require_agency(user) -> None:
    if not in_agency(user):
        raise PermissionDenied(_("Only the public-works agency drafts the contract template."))


def require_owner(user, contract) -> None:
    if not acts_for(user, contract.owner):
        raise PermissionDenied(_("Only the contract's owner does this."))


def contractor_bodies(user) -> list[Unit]:
    """The contractors' bodies (external units) where the user works."""
    person = org_access.person_of(user)
    if person is None:
        return []
    from duban.contracts.models import Contractor

    posts = Position.objects.current().filter(person=person, unit__kind=UnitKind.EXTERNAL)
    contractors = Contractor.objects.exclude(unit=None).values("unit")
    return list(Unit.objects.filter(positions__in=posts, pk__in=contractors).distinct())


def oversees(user) -> bool:
    """Every contract (read): the agency, the justice bureau and the district's overseers."""
    return in_agency(user) or in_justice(user) or org_access.sees_whole_district(user)


def may_use(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return org_access.is_official(user) or bool(contractor_bodies(user))


def require_use(user) -> None:
    if not may_use(user):
        raise PermissionDenied(_("Construction contracts are for the district's officials and the contractors."))


def contracts_for(user):
    """The agency, the justice bureau and overseers every contract; an owner's people their unit's;
    a contractor's people theirs."""
    if oversees(user):
        return Contract.objects.all()
    seen = Q(pk__in=[])
    roots = [root for root in org_access.scope_roots(user) if root.kind != UnitKind.EXTERNAL]
    if roots:
        seen |= Q(owner__in=Unit.objects.subtrees(roots))
    bodies = contractor_bodies(user)
    if bodies:
        seen |= Q(contractor__unit__in=bodies)
    return Contract.objects.filter(seen)


def get_contract_for_user(user, pk: int) -> Contract:
    return get_object_or_404(contracts_for(user).select_related("owner", "contractor", "version__template"), pk=pk)


def answers_for(user, contract) -> bool:
    """Someone of the contractor answers its ratings."""
    return contract.contractor.unit_id is not None and any(
        body.pk == contract.contractor.unit_id for body in contractor_bodies(user))  # fmt: skip
