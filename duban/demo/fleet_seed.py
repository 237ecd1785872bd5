"""The demo's shared official cars (共享公务用车), played through the fleet services: 区机关事务局
pools 8 cars of its 机关车队 on the platform and lends them, when its own demand is low, to
区投资推广和企业服务中心, 区发展改革局 and other industry and key-project departments. Over the last
four months 50+ trips were requested, approved, dispatched, driven, settled month by month and
rated; a few were refused or cancelled; some are still on their way through the steps."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.core.workdays import is_workday, on_day
from duban.fleet import services
from duban.fleet.availability import free_drivers, free_vehicles
from duban.fleet.choices import LICENCES_FOR, FleetRoleKind
from duban.fleet.models import Booking, Driver, FleetRole, Quota, Tariff, Vehicle
from duban.fleet.upkeep import upkeep_open
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole
from duban.orgs.models import Person, Unit, User

PASSWORD = "luohu-demo-2024"  # noqa: S105 - the demo's one password (duban.demo.seed.DEMO_PASSWORD)

CARS = [  # plate, type, seats, make and model
    ("粤B·G0301", "sedan", 5, "比亚迪汉EV"),
    ("粤B·G0302", "sedan", 5, "比亚迪汉EV"),
    ("粤B·G0303", "sedan", 5, "广汽埃安S"),
    ("粤B·G0304", "sedan", 5, "广汽埃安S"),
    ("粤B·G0305", "suv", 5, "比亚迪唐EV"),
    ("粤B·G0306", "suv", 5, "比亚迪唐EV"),
    ("粤B·G0307", "mpv", 7, "广汽传祺M8"),
    ("粤B·G0308", "minibus", 14, "江铃福特全顺"),
]
LEASED = ("粤B·Z8816", "mpv", 7, "别克GL8", "深圳市鹏运汽车租赁有限公司")
DRIVERS = [("B1", True), ("C1", True), ("A1", True), ("C1", True), ("B1", True), ("C1", False)]

# The borrowing departments: (short name, quota a month, how often they ask)
BORROWERS = [
    ("区投资推广中心", 7, 5),
    ("区发展改革局", 8, 2),
    ("区商务局", 6, 2),
    ("区城市更新局", 6, 1),
    ("区工信局", 6, 1),
]
TRIPS = [  # purpose, destination
    ("陪同客商考察重点产业项目", "深圳市罗湖区笋岗仓储区城市更新项目"),
    ("赴企业走访，协调落地事项", "深圳市罗湖区蔡屋围金融中心"),
    ("参加市投资推广工作会议", "深圳市民中心"),
    ("重点项目现场协调", "罗湖区湖贝旧村城市更新项目"),
    ("招商引资项目洽谈", "深圳市罗湖区国际消费中心"),
    ("走访“专精特新”企业", "罗湖区清水河片区"),
    ("参加重大项目开工活动", "罗湖区莲塘口岸片区"),
]


def seed_fleet(rng: random.Random, logins: dict[str, User]) -> None:
    affairs = Unit.objects.get(short_name="区机关事务局")
    admin, dispatcher, drivers = _platform(rng, affairs)
    cars = [
        Vehicle.objects.create(plate=plate, pool="platform", vehicle_type=kind, seats=seats, model_name=model,
                               holder=affairs, odometer_km=rng.randrange(8000, 40000),
                               insurance_until=dt.date(2027, 6, 30), inspection_due=dt.date(2027, 3, 31))
        for plate, kind, seats, model in CARS
    ]  # fmt: skip
    plate, kind, seats, model, lessor = LEASED
    Vehicle.objects.create(plate=plate, pool="leased", vehicle_type=kind, seats=seats, model_name=model,
                           holder=affairs, lessor=lessor, odometer_km=52000)  # fmt: skip
    for kind, per_km, per_hour in [("sedan", "1.20", "25"), ("suv", "1.50", "30"), ("mpv", "1.80", "35"),
                                   ("minibus", "2.50", "50"), ("bus", "4.00", "80")]:  # fmt: skip
        Tariff.objects.create(vehicle_type=kind, per_km=Decimal(per_km), per_hour=Decimal(per_hour))
    borrowers = []
    for short, quota, weight in BORROWERS:
        unit = Unit.objects.get(short_name=short)
        Quota.objects.create(unit=unit, trips_per_month=quota)
        applicant, approver = _people_of(unit, short)
        FleetRole.objects.create(person=approver.person, role=FleetRoleKind.APPROVER, unit=unit)
        borrowers.append((unit, applicant, approver, weight))
    Play(rng, dispatcher, admin, cars, drivers, borrowers).run()
    # one car's annual inspection falls due this month: the sweep puts it on the upkeep ledger
    cars[-1].inspection_due = timezone.localdate() + dt.timedelta(days=18)
    cars[-1].save(update_fields=["inspection_due"])
    office = Unit.objects.get(short_name="区委改革办")
    year = timezone.localdate().year
    Ledger.objects.create(name=f"{year}年公务用车运维台账", year=year, kind=LedgerKind.FLEET, owner_unit=office,
                          number_prefix=f"罗车{year % 100}")  # fmt: skip
    upkeep_open()


def _platform(rng: random.Random, affairs: Unit):
    staff = list(Person.objects.filter(positions__unit=affairs, positions__ended_on__isnull=True).order_by("pk"))
    admin = _login(staff[0], "fleet_admin")
    dispatcher = _login(staff[1], "dispatcher")
    FleetRole.objects.create(person=admin.person, role=FleetRoleKind.PLATFORM_ADMIN)
    FleetRole.objects.create(person=dispatcher.person, role=FleetRoleKind.DISPATCHER)
    drivers = []
    for n, (licence, available) in enumerate(DRIVERS):
        person = _person(rng, affairs, "驾驶员", n)
        _login(person, "driver" if n == 0 else f"driver{n + 1}")
        driver = Driver(person=person, licence_class=licence, licence_valid_until=dt.date(2031, 1, 1))
        driver.is_available = available
        driver.save()
        drivers.append(driver)
    return admin, dispatcher, [d for d in drivers if d.is_available]


def _people_of(unit: Unit, short: str) -> tuple[User, User]:
    """A staff member who asks for cars and the deputy (the office director's rank) who approves."""
    key = {"区投资推广中心": "invest"}.get(short, f"u{unit.pk}")
    posted = unit.positions.current().select_related("person")
    applicant = posted.filter(role=PositionRole.STAFF).order_by("pk").first().person
    approver = posted.filter(role=PositionRole.DEPUTY).order_by("pk").first().person
    return _login(applicant, f"staff_{key}"), _login(approver, f"approver_{key}")


NAMES = "郑思远 冯嘉豪 陈梓涵 褚泽宇 卫雨桐 蒋浩然 沈若溪 韩子墨 杨一诺 朱俊熙 秦可欣 尤宇航".split()


def _person(rng: random.Random, unit: Unit, title: str, n: int) -> Person:
    taken = set(Person.objects.values_list("name", flat=True))
    name = next((name for name in NAMES if name not in taken), f"{unit.short_name or unit.name}{title}{n}")
    person = org_services.person_create(actor=None, name=name, mobile=f"137{rng.randrange(10**8):08d}")
    org_services.position_assign(actor=None, person=person, unit=unit, role=PositionRole.STAFF, title=title)
    return person


def _login(person: Person, username: str) -> User:
    if hasattr(person, "user") and person.user is not None:
        return person.user
    return org_services.official_account_create(actor=None, person=person, username=username, password=PASSWORD)


class Play:
    """Trips day by day over the last four months, each through every step in its own time."""

    def __init__(self, rng, dispatcher, admin, cars, drivers, borrowers) -> None:
        self.rng, self.dispatcher, self.admin = rng, dispatcher, admin
        self.cars, self.drivers, self.borrowers = cars, drivers, borrowers
        self.today, self.now = timezone.localdate(), timezone.now()
        self.coming_trips = False

    def run(self) -> None:
        start = self.today - dt.timedelta(days=120)
        weights = [weight for *_rest, weight in self.borrowers]
        day = start
        while day < self.today:
            if (
                is_workday(day) and self.rng.random() < 0.8
            ):  # about 65 trips: 50+ back from the road whatever the calendar
                unit, applicant, approver, _weight = self.rng.choices(self.borrowers, weights)[0]
                self.trip(day, unit, applicant, approver)
            day += dt.timedelta(days=1)
        self.settle()
        self.coming()

    def trip(self, day: dt.date, unit, applicant, approver, *, outcome: str = "") -> Booking:
        rng = self.rng
        hour = rng.choice([9, 10, 14, 15])
        length = rng.choice([2, 3, 3, 4])
        purpose, destination = rng.choice(TRIPS)
        kind = rng.choices(["sedan", "suv", "mpv", "minibus"], [6, 2, 2, 1])[0]
        passengers = {"sedan": rng.randint(1, 3), "suv": rng.randint(1, 4), "mpv": rng.randint(3, 6)}.get(kind, 9)
        booking = services.booking_request(
            actor=applicant, unit=unit, starts_at=on_day(day, hour), ends_at=on_day(day, hour + length),
            origin=f"{unit.name}（罗湖区行政服务大厅）", destination=destination, purpose=purpose,
            passengers=passengers, vehicle_type=kind, contact_name=applicant.person.name,
            contact_phone=applicant.person.mobile, official_use=True, at=self.past(day, 16),
        )  # fmt: skip
        outcome = outcome or rng.choices(["done", "refused", "cancelled"], [46, 1, 2])[0]
        approving = self.past(day, 17)
        if outcome == "refused":
            return services.booking_step(actor=approver, booking=booking, code="refuse", at=approving,
                                         reason="与会议安排冲突，请合并出行")  # fmt: skip
        booking = services.booking_step(actor=approver, booking=booking, code="approve", at=approving)
        if booking.state == "over_quota":
            booking = services.booking_step(actor=self.admin, booking=booking, code="allow", at=approving)
        if outcome == "pending":
            return booking
        booking = self.dispatch(booking, self.past(day, 18))
        if outcome == "cancelled":
            return services.booking_step(actor=applicant, booking=booking, code="cancel", at=on_day(day, 8),
                                         reason="客商行程推迟，取消用车")  # fmt: skip
        if outcome == "dispatched":
            return booking
        driver_user = booking.driver.person.user
        booking = services.booking_step(actor=driver_user, booking=booking, code="take", at=on_day(day, 7))
        out = on_day(day, hour) - dt.timedelta(minutes=rng.randrange(0, 20))
        booking = services.booking_step(actor=driver_user, booking=booking, code="depart", at=out,
                                        odometer_out=booking.vehicle.odometer_km)  # fmt: skip
        back = on_day(day, hour + length) + dt.timedelta(minutes=rng.randrange(-40, 50))
        km = rng.randrange(12, 65)
        parking = Decimal(rng.choice([0, 0, 10, 15]))
        receipts = [_receipt(booking.number)] if parking else []
        booking = services.booking_step(actor=driver_user, booking=booking, code="return", at=back,
                                        odometer_in=booking.odometer_out + km, parking=parking,
                                        receipts=receipts)  # fmt: skip
        if rng.random() < 0.8:
            services.booking_rate(actor=applicant, booking=booking, rating=rng.choices([5, 4, 3], [7, 2, 1])[0],
                                  comment=rng.choice(["", "司机准时，服务周到", "车辆整洁"]), at=back)  # fmt: skip
        return booking

    def past(self, day: dt.date, hour: int) -> dt.datetime:
        """The day before the trip at `hour` o'clock; for a trip so soon that this is still to come,
        the same steps in the same order within the last hour."""
        planned = on_day(day - dt.timedelta(days=1), hour)
        an_hour_ago = self.now - dt.timedelta(hours=1)
        return planned if planned < an_hour_ago else an_hour_ago + dt.timedelta(minutes=hour)

    def dispatch(self, booking: Booking, at: dt.datetime) -> Booking:
        car = free_vehicles(booking).filter(pk__in=[c.pk for c in self.cars]).first()
        free = set(free_drivers(booking))
        # the drivers take turns; the coming trips go to the demo's `driver` login first (its phone page)
        turn = 0 if self.coming_trips else booking.pk % len(self.drivers)
        drivers = self.drivers[turn:] + self.drivers[:turn]
        driver = next((d for d in drivers if d in free and d.licence_class in LICENCES_FOR[car.vehicle_type]), None)
        return services.booking_step(actor=self.dispatcher, booking=booking, code="dispatch", vehicle=car,
                                     driver=driver, at=at)  # fmt: skip

    def settle(self) -> None:
        """Every month before this one is settled on the 5th of the next, unit by unit."""
        months = sorted({services.month_of(b.returned_at) for b in Booking.objects.filter(state="completed")})
        this_month = self.today.replace(day=1)
        for month in months:
            if month >= this_month:
                continue
            next_month = (month + dt.timedelta(days=32)).replace(day=1)
            day = next_month + dt.timedelta(days=4)
            if day >= self.today:
                continue  # last month is settled in the coming days
            for unit, *_rest in self.borrowers:
                start = on_day(month, 0)
                trips = Booking.objects.filter(unit=unit, state="completed", returned_at__gte=start,
                                               returned_at__lt=on_day(next_month, 0))  # fmt: skip
                if trips.exists():
                    services.settlement_make(actor=self.admin, unit=unit, month=month, at=on_day(day, 10))

    def coming(self) -> None:
        """Requests on their way: awaiting approval, dispatch, or the driver, in the next days."""
        self.coming_trips = True
        unit, applicant, approver, _weight = self.borrowers[0]
        days = [d for d in (self.today + dt.timedelta(days=n) for n in range(1, 10)) if is_workday(d)]
        for day, outcome in zip(days, ["dispatched", "pending", "dispatched", "requested", "pending"], strict=False):
            if outcome == "requested":
                services.booking_request(
                    actor=applicant, unit=unit, starts_at=on_day(day, 10), ends_at=on_day(day, 12),
                    origin=unit.name, destination="深圳湾科技生态园", purpose="赴市里对接招商项目", passengers=2,
                    vehicle_type="sedan", contact_name=applicant.person.name, contact_phone=applicant.person.mobile,
                    official_use=True, at=self.now,
                )  # fmt: skip
                continue
            self.trip(day, unit, applicant, approver, outcome=outcome)


def _receipt(number: str):
    return SimpleUploadedFile(f"{number}停车票.png", PNG)


# A 1×1 white PNG: the demo's photographed receipts.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a5d20000000049454e44ae426082"
)
