"""Official cars on the cockpit (领导驾驶舱): how much of their working hours the cars were on the
road this month (as the utilisation page computes it; the whole district's figure, the cars being
shared), the scope's trips back this month, and its bookings waiting for approval or for a car.
Bookings count by the requesting unit. The utilisation page opens to the platform and the district's
overseers, so the figures link to it where only they hold the scope (the whole district, a leader's
portfolio); the bookings list shows a unit's bookings to its own people and the platform only, and
a supervisor or a leader may hold any scope, so the waiting bookings stand without a link."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.cockpit.tiles import Figure, Tile
from duban.fleet import summary
from duban.fleet.choices import BookingState
from duban.fleet.models import Booking

AWAITING_APPROVAL = (BookingState.PENDING_APPROVAL, BookingState.PENDING_QUOTA)


def tiles(scope, today: dt.date) -> list[Tile]:
    month = today.replace(day=1)
    counts = scope.narrowed(Booking.objects.all()).aggregate(
        trips=Count("pk", filter=summary.back_in(month, month)),
        approval=Count("pk", filter=Q(state__in=AWAITING_APPROVAL)),
        dispatch=Count("pk", filter=Q(state=BookingState.PENDING_DISPATCH)),
    )
    path, months = reverse("fleet:utilisation"), {"from": f"{month:%Y-%m}", "to": f"{month:%Y-%m}"}
    figures = []
    if scope.district:
        share = summary.percent(summary.use_share(month, month))
        figures.append(Figure.linked(_("Vehicle utilisation this month"), share, path, months))
        figures.append(Figure.linked(_("Trips this month"), counts["trips"], path, months))
    elif "portfolio" in scope.query:  # only a leader in charge holds it, and leaders read the utilisation page
        query = {**months, "portfolio": scope.query["portfolio"]}
        figures.append(Figure.linked(_("Trips this month"), counts["trips"], path, query))
    else:
        figures.append(Figure(_("Trips this month"), counts["trips"]))
    figures += [Figure(_("Awaiting approval"), counts["approval"]), Figure(_("Awaiting dispatch"), counts["dispatch"])]
    note = _("Bookings are listed to their own units and to the car platform only.")
    return [Tile(_("Official cars"), figures, note=note)]
