"""Utilisation, computed from the trips: by car, by unit and by month (trips, hours on the road,
kilometres, what the units were charged, and each car's idle share of the working hours)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from duban.core.workdays import is_workday, on_day, overrides_held
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
    share: float | None = None  # the cars' share of their working hours on the road (`use_share`)
    narrowed: bool = False  # the trips of some units only: no car's idle share, no share of the cars


def month_span(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def span(months: list[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    """From the first month's first moment to the moment after the last month."""
    return on_day(months[0], 0), on_day((months[-1] + dt.timedelta(days=32)).replace(day=1), 0)


def back_in(first: dt.date, last: dt.date) -> Q:
    """Trips back from the road from `first`'s month to `last`'s month, inclusive."""
    start, end = span(month_span(first, last))
    return Q(state__in=DONE, returned_at__gte=start, returned_at__lt=end)


def trips_back(first: dt.date, last: dt.date):
    return Booking.objects.filter(back_in(first, last))


def use_share(first: dt.date, last: dt.date) -> float | None:
    """The cars' share of their working hours spent on the road, from `first`'s month to `last`'s
    month (up to now): each car's hours on the road (at most its working hours) over every car's
    working hours (8 a working day); the cars not retired and any that made a trip. One grouped
    query of the trips' hours; None before the first working day."""
    months = month_span(first, last)
    working = _working_hours(months[0], min(span(months)[1] - dt.timedelta(seconds=1), timezone.now()))
    on_road = ExpressionWrapper(F("returned_at") - F("departed_at"), output_field=DurationField())
    hours = dict(trips_back(first, last).order_by().values_list("vehicle_id").annotate(d=Sum(on_road)))
    cars = set(Vehicle.objects.exclude(status=VehicleStatus.RETIRED).values_list("pk", flat=True)) | set(hours)
    if not working or not cars:
        return None
    used = sum(min(Decimal(spent.total_seconds()) / 3600, working) for spent in hours.values() if spent)
    return float(used / (working * len(cars)))


def percent(share: float | None) -> str:
    """0.372 → "37%"; "—" for no share."""
    return "—" if share is None else f"{round(share * 100)}%"


def utilisation(first: dt.date, last: dt.date, units=None) -> Utilisation:
    """The trips back from the road from `first`'s month to `last`'s month, inclusive; with `units`,
    those units' trips only (the cars then show the hours those trips took them)."""
    months = month_span(first, last)
    start, end = span(months)
    trips = trips_back(first, last)
    if units is not None:
        trips = trips.filter(unit__in=units)
    trips = list(trips.select_related("vehicle", "unit").order_by("returned_at"))
    vehicles = Vehicle.objects.exclude(status=VehicleStatus.RETIRED).order_by("pool", "vehicle_type", "plate")
    cars = {v.pk: Row(v, v.plate) for v in vehicles} if units is None else {}
    by_unit: dict[int, Row] = {}
    by_month = {m: Row(m, f"{m:%Y-%m}") for m in months}
    for trip in trips:
        cars.setdefault(trip.vehicle_id, Row(trip.vehicle, trip.vehicle.plate)).add(trip)
        by_unit.setdefault(trip.unit_id, Row(trip.unit, trip.unit.name)).add(trip)
        by_month[timezone.localtime(trip.returned_at).date().replace(day=1)].add(trip)
    working = _working_hours(months[0], min(end - dt.timedelta(seconds=1), timezone.now()))
    if units is None:
        for row in cars.values():
            row.idle = max(0.0, 1 - float(row.hours) / working) if working else None
    return Utilisation(
        first=months[0],
        last=months[-1],
        platform_cars=sum(1 for v in vehicles if v.pool == Pool.PLATFORM),
        trips=len(trips),
        cars=list(cars.values()),
        units=sorted(by_unit.values(), key=lambda row: -row.trips),
        months=list(by_month.values()),
        share=use_share(first, last) if units is None else None,
        narrowed=units is not None,
    )


def _working_hours(first: dt.date, until: dt.datetime) -> int:
    day, last, days = first, timezone.localtime(until).date(), 0
    with overrides_held():  # the office's overrides read once, not once a day
        while day <= last:
            days += is_workday(day)
            day += dt.timedelta(days=1)
    return days * WORKING_HOURS_A_DAY
