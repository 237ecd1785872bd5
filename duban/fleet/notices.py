"""Inbox notices (and mail) for whoever acts next on a car booking; written once the step commits
(`notify.after_commit`, which never tells the actor of their own step)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.fleet.choices import FleetRoleKind
from duban.fleet.models import Booking, FleetRole
from duban.ledger.services import notify
from duban.orgs.models import Person, Unit, User


def _logins(roles) -> list[User]:
    people = Person.objects.active().filter(pk__in=roles.values("person_id"))
    return list(User.objects.filter(is_active=True, person__in=people))


def approvers(unit: Unit) -> list[User]:
    """The approvers of the unit's requests (an approver of a unit above it approves them too)."""
    return _logins(FleetRole.objects.filter(role=FleetRoleKind.APPROVER, unit__in=Unit.objects.ancestors_of(unit)))


def platform_admins() -> list[User]:
    return _logins(FleetRole.objects.filter(role=FleetRoleKind.PLATFORM_ADMIN))


def booking_moved(booking: Booking, code: str, actor) -> None:
    """Requested: the unit's approver; over quota: the platform's administrators; approved, allowed
    or refused: whoever requested it; dispatched: the trip's driver."""
    requester = [booking.applicant]
    if code == "requested":
        users, text = approvers(booking.unit), _("Booking %(number)s for %(start)s awaits your approval.")
    elif code == "refer":
        users, text = platform_admins(), _("Booking %(number)s for %(start)s is over the unit's quota and awaits "
                                           "your approval.")  # fmt: skip
    elif code in ("approve", "allow"):
        users, text = requester, _("Booking %(number)s for %(start)s is approved and awaits a car.")
    elif code == "refuse":
        users, text = requester, _("Booking %(number)s for %(start)s was refused: see the reason.")
    elif code in ("dispatch", "redispatch") and booking.driver is not None:
        users = [booking.driver.person.user] if booking.driver.person.user else []
        text = _("You drive booking %(number)s at %(start)s: confirm the trip.")
    else:
        return
    params = {"number": booking.number, "start": f"{timezone.localtime(booking.starts_at):%Y-%m-%d %H:%M}"}
    link = reverse("fleet:booking_detail", args=[booking.pk])
    notify.after_commit(users, None, f"fleet.booking.{code}", text, link=link, params=params, actor=actor)
