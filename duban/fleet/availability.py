"""Reads for dispatch: which cars and drivers are free for a window, each car's trips over a week,
and the cars still out past their window (the next trip's dispatcher must see them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from duban.fleet.choices import HOLDING_STATES, LICENCES_FOR, TYPE_ORDER, WINDOW_SLACK, BookingState, VehicleStatus
from duban.fleet.models import Booking, Driver, Vehicle

IN_SERVICE = (VehicleStatus.AVAILABLE, VehicleStatus.IN_USE)


def free_vehicles(booking: Booking):
    """Cars in service, free for the booking's window, nearest to the asked type first (then
    larger before smaller: an upgrade before a downgrade), enough seats for everyone."""
    busy = Booking.objects.overlapping(booking.starts_at, booking.ends_at).exclude(pk=booking.pk).values("vehicle")
    wanted = TYPE_ORDER.index(booking.vehicle_type)
    distance = Case(
        *[When(vehicle_type=kind, then=Value(abs(i - wanted) * 2 + (i < wanted))) for i, kind in enumerate(TYPE_ORDER)],
        output_field=IntegerField(),
    )
    return (
        Vehicle.objects.filter(status__in=IN_SERVICE, seats__gt=booking.passengers)
        .exclude(pk__in=busy.filter(vehicle__isnull=False))
        .annotate(_distance=distance)
        .order_by("_distance", "pool", "plate")
    )


def free_drivers(booking: Booking):
    """Drivers available, free for the booking's window, whose licence covers the asked type."""
    busy = Booking.objects.overlapping(booking.starts_at, booking.ends_at).exclude(pk=booking.pk).values("driver")
    return (
        Driver.objects.filter(
            is_available=True,
            licence_valid_until__gte=timezone.localtime(booking.ends_at).date(),
            licence_class__in=LICENCES_FOR[booking.vehicle_type],
        )
        .exclude(pk__in=busy.filter(driver__isnull=False))
        .select_related("person")
        .order_by("person__name")
    )


def still_out() -> list[Booking]:
    """Trips on the road past their window, with the car's next dispatched trip."""
    late = list(
        Booking.objects.filter(state=BookingState.ON_TRIP, ends_at__lt=timezone.now() - WINDOW_SLACK)
        .select_related("vehicle", "driver__person", "unit")
        .order_by("ends_at")
    )
    for trip in late:
        trip.next_trip = (
            Booking.objects.filter(vehicle=trip.vehicle, state__in=HOLDING_STATES - {BookingState.ON_TRIP})
            .order_by("starts_at")
            .first()
        )
    return late


@dataclass
class Slot:
    booking: Booking
    day: int  # 0 = Monday
    start: float  # hour of the day, 0–24
    end: float


def week(monday: dt.date, vehicles) -> dict[int, list[Slot]]:
    """vehicle id → its held trips over the week starting `monday`, cut into one slot per day."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(monday, dt.time(), tzinfo=zone)
    end = start + dt.timedelta(days=7)
    trips = (
        Booking.objects.filter(
            vehicle__in=vehicles,
            state__in=HOLDING_STATES | {BookingState.COMPLETED, BookingState.SETTLED},
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("unit")
        .order_by("starts_at")
    )
    slots: dict[int, list[Slot]] = {}
    for trip in trips:
        first, last = (
            max(timezone.localtime(trip.starts_at, zone), start),
            min(timezone.localtime(trip.ends_at, zone), end),
        )
        day = first.date()
        while day < last.date() or (day == last.date() and last.time() != dt.time()):
            day_start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
            a, b = max(first, day_start), min(last, day_start + dt.timedelta(days=1))
            slots.setdefault(trip.vehicle_id, []).append(
                Slot(trip, (day - monday).days, _hours(a - day_start), _hours(b - day_start))
            )
            day += dt.timedelta(days=1)
    return slots


def _hours(delta: dt.timedelta) -> float:
    return round(delta.total_seconds() / 3600, 2)
