"""Who may see and do what in the organisation. Views obtain objects only through these functions.

The refusal rule (the same in every context): an object the user may not know exists is a 404; an
object the user may see but not change is a 403. The unit directory is visible to every official,
so editing another street's unit is a 403. Contact details (mobile, email) are shown only to office
admins, supervisors, the person themself, and officials whose scope includes one of the person's
units (district leaders' scope is the whole district); never to residents or external experts.
Only posts in the district's own bodies make someone unit head or staff: a researcher posted at the
third-party evaluator (an external body) is an expert, not an official (`Position.objects.official`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from duban.orgs.choices import AccountType, LeaderRank, PositionRole, Role
from duban.orgs.models import LeaderPortfolio, Person, Position, Unit


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def roles_of(user) -> set[str]:
    """The roles a user holds now; derived from account flags, current positions and portfolios."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if hasattr(user, "_duban_roles"):
        return user._duban_roles
    roles: set[str] = set()
    if user.account_type == AccountType.RESIDENT:
        roles.add(Role.RESIDENT)
    if user.is_office_admin or user.is_superuser:
        roles.add(Role.OFFICE_ADMIN)
    if user.is_supervisor:
        roles.add(Role.SUPERVISOR)
    if user.is_expert:
        roles.add(Role.EXPERT)
    person = person_of(user)
    if person is not None and person.is_active:
        for role in person.positions.official().values_list("role", flat=True):
            roles.add(Role.UNIT_HEAD if role == PositionRole.HEAD else Role.UNIT_STAFF)
        if person.portfolios.current().exists():
            roles.add(Role.DISTRICT_LEADER)
    user._duban_roles = roles
    return roles


def is_office_admin(user) -> bool:
    return Role.OFFICE_ADMIN in roles_of(user)


def is_main_leader(user) -> bool:
    """The district's main leaders (区委书记, 区长): every unit's work is theirs to see."""
    if Role.DISTRICT_LEADER not in roles_of(user):
        return False
    return LeaderPortfolio.objects.current().filter(leader=person_of(user), rank=LeaderRank.MAIN).exists()


def sees_whole_district(user) -> bool:
    return bool(roles_of(user) & {Role.OFFICE_ADMIN, Role.SUPERVISOR, Role.DISTRICT_LEADER})


def is_official(user) -> bool:
    """Officials may browse the organisation directory."""
    return bool(
        roles_of(user) & {Role.OFFICE_ADMIN, Role.SUPERVISOR, Role.DISTRICT_LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF}
    )


def heads(user, unit: Unit) -> bool:
    """The unit's head, or the head of a unit above it (signs for the unit, approves its ratings)."""
    person = person_of(user)
    if person is None or not person.is_active:
        return False
    headed = Unit.objects.filter(positions__in=Position.objects.official().filter(person=person,
                                                                                  role=PositionRole.HEAD))  # fmt: skip
    return any(unit.is_within(root) for root in headed)


def scope_roots(user) -> list[Unit]:
    """The units whose subtrees a unit head or staff member acts on (never an external body)."""
    person = person_of(user)
    if person is None or not person.is_active or not user.is_active:
        return []
    return list(Unit.objects.filter(positions__in=Position.objects.official().filter(person=person)).distinct())


def scoped_units(user):
    """Units the user acts on: the whole district for office admins, supervisors and district
    leaders; their units and everything below them for unit heads and staff; nothing otherwise."""
    if sees_whole_district(user):
        return Unit.objects.all()
    roots = scope_roots(user)
    if not roots:
        return Unit.objects.none()
    return Unit.objects.subtrees(roots)


def in_scope(user, unit: Unit) -> bool:
    if sees_whole_district(user):
        return True
    return any(unit.is_within(root) for root in scope_roots(user))


def can_manage_unit(user, unit: Unit) -> bool:
    """Edit a unit's details, add units below it and post people to it: office admins anywhere,
    heads and staff in their own units' subtrees. Seeing the whole district (supervisors,
    district leaders) does not make anyone a manager of the organisation."""
    if is_office_admin(user):
        return True
    return any(unit.is_within(root) for root in scope_roots(user))


def can_restructure_unit(user, unit: Unit) -> bool:
    """Move or retire a unit: only from above it, so nobody retires or moves their own unit."""
    if is_office_admin(user):
        return True
    return unit.parent is not None and can_manage_unit(user, unit.parent) and unit not in scope_roots(user)


def can_manage_portfolios(user) -> bool:
    return is_office_admin(user)


def can_see_contact(user, person: Person) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    if roles_of(user) & {Role.OFFICE_ADMIN, Role.SUPERVISOR}:
        return True
    if not is_official(user):
        return False
    return any(in_scope(user, p.unit) for p in person.positions.current().select_related("unit"))


def can_manage_person(user, person: Person) -> bool:
    if is_office_admin(user):
        return True
    units = [p.unit for p in person.positions.current().select_related("unit")]
    return bool(units) and all(can_manage_unit(user, unit) for unit in units)


#
# Object getters for views
#

# Why a refusal happened; the 403 page shows it.
NOT_OFFICIAL = _("This page is for the officials of the district's units.")
NOT_OWN_UNIT = _("You may change only your own unit and the units below it.")
NOT_FROM_ABOVE = _("A unit is moved or retired from the unit above it.")
NOT_OWN_PEOPLE = _("You may change only the people of your own unit and the units below it.")
ADMINS_ONLY = _("Only office administrators do this.")


def require_official(user) -> None:
    if not is_official(user):
        raise PermissionDenied(NOT_OFFICIAL)


def require_office_admin(user) -> None:
    if not is_office_admin(user):
        raise PermissionDenied(ADMINS_ONLY)


def get_unit_for_user(user, pk: int, *, manage: bool = False, restructure: bool = False) -> Unit:
    require_official(user)
    unit = Unit.objects.select_related("parent").filter(pk=pk).first()
    if unit is None:
        raise Http404
    if manage and not can_manage_unit(user, unit):
        raise PermissionDenied(NOT_OWN_UNIT)
    if restructure and not can_restructure_unit(user, unit):
        raise PermissionDenied(NOT_FROM_ABOVE)
    return unit


def get_person_for_user(user, pk: int, *, manage: bool = False) -> Person:
    require_official(user)
    person = Person.objects.select_related("user").filter(pk=pk).first()
    if person is None:
        raise Http404
    if manage and not can_manage_person(user, person):
        raise PermissionDenied(NOT_OWN_PEOPLE)
    return person


def get_position_for_user(user, pk: int) -> Position:
    require_official(user)
    position = Position.objects.select_related("unit", "person").filter(pk=pk).first()
    if position is None:
        raise Http404
    if not can_manage_unit(user, position.unit):
        raise PermissionDenied(NOT_OWN_UNIT)
    return position


def get_portfolio_for_user(user, pk: int, *, manage: bool = False) -> LeaderPortfolio:
    require_official(user)
    portfolio = LeaderPortfolio.objects.select_related("leader").filter(pk=pk).first()
    if portfolio is None:
        raise Http404
    if manage and not can_manage_portfolios(user):
        raise PermissionDenied(ADMINS_ONLY)
    return portfolio
