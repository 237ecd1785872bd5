"""Utilisation, computed from the trips: by car, by unit and by month (trips, hours on the road,
kilometres, what the units were charged, and each car's idle share of the working hours)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from duban.core.workdays import is_workday, on_day
from duban.fleet.choices import BookingState, Pool, VehicleStatus
from duban.fleet.models import Booking, Vehicle

WORKING_HOURS_A_DAY = 8
DONE = (BookingState.COMPLETED, BookingState.SETTLED)


@dataclass
class Row:
    key: object
    label: str
    trips: int = 0
    hours: Decimal = Decimal(0)
    km: int = 0
    amount: Decimal = Decimal(0)
    idle: float | None = None  # a car's share of the working hours not on the road

    def add(self, trip: Booking) -> None:
        self.trips += 1
        self.hours += trip.hours or 0
        self.km += trip.km or 0
        self.amount += trip.amount or 0


@dataclass
class Utilisation:
    first: dt.date  # first day of the first month
    last: dt.date  # first day of the last month
    platform_cars: int
    trips: int
    cars: list[Row] = field(default_factory=list)
    units: list[Row] = field(default_factory=list)
    months: list[Row] = field(default_factory=list)


def month_span(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def utilisation(first: dt.date, last: dt.date) -> Utilisation:
    """The trips back from the road from `first`'s month to `last`'s month, inclusive."""
    months = month_span(first, last)
    start = on_day(months[0], 0)
    end = on_day((months[-1] + dt.timedelta(days=32)).replace(day=1), 0)
    trips = list(
        Booking.objects.filter(state__in=DONE, returned_at__gte=start, returned_at__lt=end)
        .select_related("vehicle", "unit")
        .order_by("returned_at")
    )
    vehicles = Vehicle.objects.exclude(status=VehicleStatus.RETIRED).order_by("pool", "vehicle_type", "plate")
    cars = {v.pk: Row(v, v.plate) for v in vehicles}
    units: dict[int, Row] = {}
    by_month = {m: Row(m, f"{m:%Y-%m}") for m in months}
    for trip in trips:
        cars.setdefault(trip.vehicle_id, Row(trip.vehicle, trip.vehicle.plate)).add(trip)
        units.setdefault(trip.unit_id, Row(trip.unit, trip.unit.name)).add(trip)
        by_month[timezone.localtime(trip.returned_at).date().replace(day=1)].add(trip)
    working = _working_hours(months[0], min(end - dt.timedelta(seconds=1), timezone.now()))
    for row in cars.values():
        row.idle = max(0.0, 1 - float(row.hours) / working) if working else None
    return Utilisation(
        first=months[0],
        last=months[-1],
        platform_cars=sum(1 for v in vehicles if v.pool == Pool.PLATFORM),
        trips=len(trips),
        cars=list(cars.values()),
        units=sorted(units.values(), key=lambda row: -row.trips),
        months=list(by_month.values()),
    )


def _working_hours(first: dt.date, until: dt.datetime) -> int:
    day, last, days = first, timezone.localtime(until).date(), 0
    while day <= last:
        days += is_workday(day)
        day += dt.timedelta(days=1)
    return days * WORKING_HOURS_A_DAY
