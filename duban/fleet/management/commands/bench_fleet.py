"""`duban bench_fleet`: availability over a week at 100 cars and 10,000 bookings on PostgreSQL
(docs/performance.md).

Generates the cars, drivers and bookings straight into the tables (a benchmark's data, not the
demo's), then times, for a week chosen at random among the booked ones: the cars and drivers free
for a request's window (the dispatcher's form), the week of every car (the calendar's reads), and
the whole cars page as a dispatcher; prints a Markdown table of the p50 and p95 in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from duban.core.bench import statics_from_finders
from duban.fleet import availability
from duban.fleet.models import Booking, Driver, FleetRole, Vehicle
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User

KINDS = ["sedan"] * 6 + ["suv"] * 2 + ["mpv", "minibus"]
DAYS = 730  # the bookings spread over two years


class Command(BaseCommand):
    help = "Benchmark availability over a week on PostgreSQL (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--cars", type=int, default=100)
        parser.add_argument("--bookings", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=100)

    def handle(self, *args, cars: int, bookings: int, runs: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        user, first_day = self._data(cars, bookings)
        rng = random.Random(7)
        zone = timezone.get_default_timezone()
        vehicles = list(Vehicle.objects.filter(plate__startswith="测"))
        request = Booking(starts_at=None, ends_at=None, passengers=2, vehicle_type="sedan")
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)

        def week() -> dt.date:
            day = first_day + dt.timedelta(days=rng.randrange(DAYS - 7))
            return day - dt.timedelta(days=day.weekday())

        def free():
            start = dt.datetime.combine(week() + dt.timedelta(days=2), dt.time(9), tzinfo=zone)
            request.starts_at, request.ends_at = start, start + dt.timedelta(hours=3)
            return len(list(availability.free_vehicles(request))), len(list(availability.free_drivers(request)))

        rows = []
        with statics_from_finders():
            for label, call in [
                ("free cars and drivers for a request", free),
                ("every car's week (calendar reads)", lambda: availability.week(week(), vehicles)),
                ("cars page, a week of every car", lambda: client.get(reverse("fleet:vehicle_list"), {"week": week()})),
            ]:
                timings = []
                for _ in range(runs):
                    started = time.perf_counter()
                    call()
                    timings.append(time.perf_counter() - started)
                timings.sort()
                rows.append((label, timings[len(timings) // 2] * 1000, timings[int(0.95 * len(timings))] * 1000))
        held = Booking.objects.filter(vehicle__plate__startswith="测").count()
        self.stdout.write(f"{len(vehicles)} cars, {held:,} bookings\n")
        self.stdout.write("| read | p50 ms | p95 ms |\n|---|---:|---:|")
        for label, p50, p95 in rows:
            self.stdout.write(f"| {label} | {p50:.1f} | {p95:.1f} |")

    def _data(self, cars: int, bookings: int):
        unit = Unit.objects.filter(name="罗湖区机关事务局（基准测试）").first()
        if unit is None:
            district = Unit.objects.filter(name="罗湖区（基准测试）").first() or org_services.unit_create(
                actor=None, parent=None, name="罗湖区（基准测试）", kind=UnitKind.DISTRICT
            )
            unit = org_services.unit_create(
                actor=None, parent=district, name="罗湖区机关事务局（基准测试）", kind=UnitKind.DEPARTMENT
            )
        user = User.objects.filter(username="bench_fleet_dispatcher").first()
        if user is None:
            person = org_services.person_create(actor=None, name="基准测试调度员")
            org_services.position_assign(actor=None, person=person, unit=unit, role="staff", title="调度员")
            password = "bench-only-0000"  # noqa: S105 - benchmark data only
            user = org_services.official_account_create(
                actor=None, person=person, username="bench_fleet_dispatcher", password=password
            )
            FleetRole.objects.create(person=person, role="dispatcher")
        rng = random.Random(2026)
        have = Vehicle.objects.filter(plate__startswith="测").count()
        Vehicle.objects.bulk_create(
            Vehicle(plate=f"测B·{n:05d}", vehicle_type=rng.choice(KINDS), seats=rng.choice([5, 5, 7, 14]), holder=unit)
            for n in range(have, cars)
        )
        drivers = list(Driver.objects.filter(person__name__startswith="基准司机"))
        for n in range(len(drivers), max(30, cars // 3)):
            person = org_services.person_create(actor=None, name=f"基准司机{n}")
            drivers.append(
                Driver.objects.create(person=person, licence_class="B1", licence_valid_until=dt.date(2099, 1, 1))
            )
        vehicles = list(Vehicle.objects.filter(plate__startswith="测"))
        zone = timezone.get_default_timezone()
        first_day = timezone.localdate() - dt.timedelta(days=DAYS - 30)
        have = Booking.objects.filter(vehicle__in=vehicles).count()
        batch = []
        for n in range(have, bookings):
            vehicle = vehicles[n % len(vehicles)]
            day = first_day + dt.timedelta(days=rng.randrange(DAYS))
            start = dt.datetime.combine(day, dt.time(rng.randrange(8, 17)), tzinfo=zone)
            past = day < timezone.localdate()
            batch.append(Booking(
                number=f"基准{n:07d}", unit=unit, applicant=user, starts_at=start,
                ends_at=start + dt.timedelta(hours=rng.randrange(1, 5)), origin="区机关事务局", destination="区政府",
                purpose="基准测试", passengers=2, vehicle_type=vehicle.vehicle_type, contact_name="测试",
                contact_phone="13900000000", vehicle=vehicle, driver=drivers[n % len(drivers)],
                state="settled" if past else "dispatched",
            ))  # fmt: skip
            if len(batch) == 2000:
                Booking.objects.bulk_create(batch)
                batch = []
        Booking.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE fleet_booking")
            cursor.execute("ANALYZE fleet_vehicle")
        return user, first_day
