"""Who may see and act on ledger items. Views and the API obtain items only through these functions.

- The supervising office (office admins, staff of the ledger's owning office) and supervisors see
  every item and act as the office (register, assign, cancel, issue notices).
- Heads and staff of the lead unit, or of a unit above it, act as the responsible unit; co-units
  see the items they share and act on their own part.
- Review (return, accept) and close (销号) need someone outside the responsible unit: a
  supervisor, an office admin or the owning office's staff for review, and a supervisor or an
  office admin to close. The responsible unit can never review or close its own item.
- District leaders see the items of units in their portfolio and give instructions (批示).
- Residents, experts and anonymous visitors see no ledger items here (public pages come later).
Refusals follow the project rule: an item the user may not see is a 404; one they see but may
not act on is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from duban.ledger.choices import Actor
from duban.ledger.models import Item, Ledger
from duban.orgs import access as org_access
from duban.orgs.choices import Role
from duban.orgs.models import Unit


def _own_roots(user) -> list[Unit]:
    return org_access.scope_roots(user)


def _within_own(user, unit: Unit) -> bool:
    return any(unit.is_within(root) for root in _own_roots(user))


def is_outside(user, unit: Unit) -> bool:
    """Neither the user's units lie within `unit` nor `unit` within theirs."""
    return not any(unit.is_within(root) or root.is_within(unit) for root in _own_roots(user))


def is_supervisor(user) -> bool:
    return bool(org_access.roles_of(user) & {Role.SUPERVISOR, Role.OFFICE_ADMIN})


def acts_for_office(user, ledger: Ledger) -> bool:
    return is_supervisor(user) or _within_own(user, ledger.owner_unit)


def reviews_for_an_office(user) -> bool:
    """Has a review queue: supervisors, office admins, and staff of a unit that owns a ledger."""
    if is_supervisor(user):
        return True
    roots = _own_roots(user)
    return bool(roots) and Ledger.objects.filter(owner_unit__in=Unit.objects.subtrees(roots)).exists()


def acts_for_unit(user, item: Item) -> bool:
    return _within_own(user, item.lead_unit)


def acts_for_co_unit(user, unit: Unit) -> bool:
    return _within_own(user, unit)


def can_review(user, item: Item) -> bool:
    return acts_for_office(user, item.ledger) and is_outside(user, item.lead_unit)


def can_supervise(user, item: Item) -> bool:
    """Issue supervision notices and record interviews: the office or a supervisor, from outside."""
    return acts_for_office(user, item.ledger) and is_outside(user, item.lead_unit)


def can_close(user, item: Item) -> bool:
    return is_supervisor(user) and is_outside(user, item.lead_unit)


def _outside_units(user):
    """The units `is_outside` admits, as a query: neither within the user's units nor above them."""
    roots = _own_roots(user)
    above = {pk for root in roots for pk in Unit.objects.ancestors_of(root).values_list("pk", flat=True)}
    return Unit.objects.exclude(pk__in=Unit.objects.subtrees(roots).values("pk")).exclude(pk__in=above)


def reviewable(user, items):
    """The `items` the user may review (`can_review`), filtered in the database so a long queue pages."""
    items = items.filter(lead_unit__in=_outside_units(user))
    if is_supervisor(user):
        return items
    return items.filter(ledger__owner_unit__in=Unit.objects.subtrees(_own_roots(user)))


def closable(user, items):
    """The `items` the user may close (`can_close`), filtered in the database."""
    if not is_supervisor(user):
        return items.none()
    return items.filter(lead_unit__in=_outside_units(user))


def can_perform(user, item: Item, actor: str, action: str = "") -> bool:
    if actor in (Actor.YEAR_END, Actor.IMPORT):
        return False  # the office carries a whole ledger over, on its year-end page; imports record
    if actor == Actor.OFFICE:
        return acts_for_office(user, item.ledger)
    if actor == Actor.UNIT:
        return acts_for_unit(user, item)
    if action == "close" or action == "reopen":
        return can_close(user, item)
    return can_review(user, item)


def may_read_notifications(user) -> bool:
    """Anyone signed in with a post (in a district body or an outside one) or a leader's portfolio."""
    person = org_access.person_of(user)
    return person is not None and (
        person.positions.current().exists() or Role.DISTRICT_LEADER in org_access.roles_of(user)
    )


def visible_items(user):
    """Every item the user may see."""
    roles = org_access.roles_of(user)
    if roles & {Role.OFFICE_ADMIN, Role.SUPERVISOR} or org_access.is_main_leader(user):
        return Item.objects.all()
    condition = Q(pk__in=[])
    roots = _own_roots(user)
    if roots:
        units = Unit.objects.subtrees(roots)
        condition |= Q(lead_unit__in=units) | Q(co_units__unit__in=units) | Q(ledger__owner_unit__in=units)
    if Role.DISTRICT_LEADER in roles:
        person = org_access.person_of(user)
        condition |= Q(lead_unit__in=person.units_in_charge()) | Q(leader=person)
    if condition == Q(pk__in=[]):
        return Item.objects.none()
    return Item.objects.filter(condition).distinct()


def get_item_for_user(user, pk: int) -> Item:
    org_access.require_official(user)
    item = visible_items(user).select_related("ledger", "lead_unit", "leader", "handler").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def visible_ledgers(user):
    if not org_access.is_official(user):
        return Ledger.objects.none()
    if is_supervisor(user):
        return Ledger.objects.all()
    return Ledger.objects.filter(pk__in=visible_items(user).values("ledger_id")) | Ledger.objects.filter(
        owner_unit__in=Unit.objects.subtrees(_own_roots(user))
    )


def get_ledger_for_user(user, pk: int, *, manage: bool = False) -> Ledger:
    ledger = visible_ledgers(user).filter(pk=pk).first()
    if ledger is None:
        org_access.require_official(user)
        raise Http404
    if manage and not acts_for_office(user, ledger):
        raise PermissionDenied(_("Only the owning office changes this ledger."))
    return ledger
