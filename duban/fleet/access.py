"""Who may see and do what on the car platform. A unit sees its own requests, a driver only their
trips, dispatchers and the platform's administrators every booking; views get bookings only
through `get_booking_for_user` (404 for what the user may not know exists)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from duban.fleet.choices import FleetRoleKind
from duban.fleet.models import Booking, Driver, FleetRole
from duban.orgs import access as org_access
from duban.orgs.models import Unit


def _roles(user) -> list[FleetRole]:
    if not getattr(user, "is_authenticated", False):
        return []
    if not hasattr(user, "_fleet_roles"):
        person = org_access.person_of(user)
        user._fleet_roles = list(FleetRole.objects.filter(person=person).select_related("unit")) if person else []
    return user._fleet_roles


def is_platform_admin(user) -> bool:
    """机关事务局's platform administrators, and the office administrators."""
    return org_access.is_office_admin(user) or any(r.role == FleetRoleKind.PLATFORM_ADMIN for r in _roles(user))


def is_dispatcher(user) -> bool:
    return is_platform_admin(user) or any(r.role == FleetRoleKind.DISPATCHER for r in _roles(user))


def oversees(user) -> bool:
    """Who reads every unit's use of the cars (utilisation): the platform, the office, supervisors
    and district leaders."""
    return is_dispatcher(user) or org_access.sees_whole_district(user)


def approves_for(user, unit: Unit) -> bool:
    """The unit's designated approver (or an approver of a unit above it)."""
    return any(r.role == FleetRoleKind.APPROVER and unit.is_within(r.unit) for r in _roles(user))


def approved_units(user) -> list[Unit]:
    return [r.unit for r in _roles(user) if r.role == FleetRoleKind.APPROVER]


def driver_of(user) -> Driver | None:
    """The user's driver record, read once per user object (the menu and the tabs ask too)."""
    if not hasattr(user, "_fleet_driver"):
        person = org_access.person_of(user)
        user._fleet_driver = None if person is None else Driver.objects.filter(person=person).first()
    return user._fleet_driver


def acts_for(user, unit: Unit) -> bool:
    """Someone of the unit (or of a unit above it) requests and cancels its cars."""
    return any(unit.is_within(root) for root in org_access.scope_roots(user))


def may_request(user) -> bool:
    return bool(org_access.scope_roots(user))


def may_use_platform(user) -> bool:
    """Officials, and whoever holds a platform role or drives. Asked on every page (the menu):
    the official's roles are already read, so most pages ask the database nothing more."""
    if not getattr(user, "is_authenticated", False):
        return False
    return org_access.is_official(user) or bool(_roles(user)) or driver_of(user) is not None


def bookings_for(user):
    """The bookings the user may see: every one for dispatchers and administrators; otherwise those
    of the units in the user's scope or the approver's units, and the driver's own trips."""
    bookings = Booking.objects.all()
    if is_dispatcher(user):
        return bookings
    seen = Q(unit__in=Unit.objects.subtrees(org_access.scope_roots(user) + approved_units(user)))
    driver = driver_of(user)
    if driver is not None:
        seen |= Q(driver=driver)
    return bookings.filter(seen)


def get_booking_for_user(user, pk: int) -> Booking:
    return get_object_or_404(bookings_for(user).select_related("unit", "applicant", "vehicle", "driver__person"), pk=pk)


def require_platform(user) -> None:
    if not may_use_platform(user):
        raise PermissionDenied(_("The car platform is for the district's officials."))


def require_overseer(user) -> None:
    if not oversees(user):
        raise PermissionDenied(_("Only the platform and the supervising offices read every unit's use of the cars."))


def require_dispatcher(user) -> None:
    if not is_dispatcher(user):
        raise PermissionDenied(_("Only the platform's dispatchers do this."))


def require_platform_admin(user) -> None:
    if not is_platform_admin(user):
        raise PermissionDenied(_("Only the platform's administrators do this."))
