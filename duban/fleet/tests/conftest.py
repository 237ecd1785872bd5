"""The car platform's cast over the fixed personas: 机关事务局 runs it (a platform administrator
and a dispatcher), two drivers, three platform cars; unit A's head approves unit A's requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from duban.conftest import _official
from duban.fleet import services
from duban.fleet.choices import FleetRoleKind
from duban.fleet.models import Driver, FleetRole, Tariff, Vehicle
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind
from duban.orgs.models import User


@dataclass
class Fleet:
    affairs: object
    admin: User
    dispatcher: User
    driver_user: User
    other_driver_user: User
    driver: Driver
    other_driver: Driver
    sedan: Vehicle
    other_sedan: Vehicle
    van: Vehicle


@pytest.fixture
def fleet(personas) -> Fleet:
    return build_fleet(personas)


def build_fleet(personas) -> Fleet:
    affairs = org_services.unit_create(
        actor=None, parent=personas.district, name="区机关事务局", kind=UnitKind.DEPARTMENT
    )
    admin, dispatcher = _official(affairs, "fleet_admin"), _official(affairs, "dispatcher")
    driver_user, other_driver_user = _official(affairs, "driver"), _official(affairs, "driver2")
    for user, role, unit in [(admin, FleetRoleKind.PLATFORM_ADMIN, None), (dispatcher, FleetRoleKind.DISPATCHER, None),
                             (personas.unit_a_head, FleetRoleKind.APPROVER, personas.unit_a)]:  # fmt: skip
        FleetRole.objects.create(person=user.person, role=role, unit=unit)
    licence = dt.date(2030, 1, 1)
    driver = Driver.objects.create(person=driver_user.person, licence_class="B1", licence_valid_until=licence)
    other = Driver.objects.create(person=other_driver_user.person, licence_class="C1", licence_valid_until=licence)
    cars = [
        Vehicle.objects.create(plate=plate, vehicle_type=kind, seats=seats, holder=affairs, odometer_km=1000)
        for plate, kind, seats in [("粤B·A1001", "sedan", 5), ("粤B·A1002", "sedan", 5), ("粤B·A2001", "mpv", 7)]
    ]
    Tariff.objects.create(vehicle_type="sedan", per_km=Decimal("1.50"), per_hour=Decimal("20"))
    Tariff.objects.create(vehicle_type="mpv", per_km=Decimal("2.00"), per_hour=Decimal("30"))
    return Fleet(affairs, admin, dispatcher, driver_user, other_driver_user, driver, other, *cars)


def tomorrow(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())


def soon(minutes: int) -> dt.datetime:
    """A local moment `minutes` from now, to the minute (what a datetime field holds)."""
    return timezone.localtime(timezone.now() + dt.timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def request_car(personas, *, start: int = 9, end: int = 12, user=None, unit=None, **fields):
    values = {
        "starts_at": tomorrow(start), "ends_at": tomorrow(end), "origin": "东门街道办事处",
        "destination": "深圳市罗湖区人民政府", "purpose": "参加全区招商引资工作会议", "passengers": 2,
        "vehicle_type": "sedan", "contact_name": "测试联系人", "contact_phone": "13900001111", "official_use": True,
        **fields,
    }  # fmt: skip
    return services.booking_request(actor=user or personas.unit_a_staff, unit=unit or personas.unit_a, **values)


def approved(personas, fleet, **fields):
    booking = request_car(personas, **fields)
    return services.booking_step(actor=personas.unit_a_head, booking=booking, code="approve")


def dispatched(personas, fleet, *, vehicle=None, driver=None, **fields):
    booking = approved(personas, fleet, **fields)
    return services.booking_step(actor=fleet.dispatcher, booking=booking, code="dispatch",
                                 vehicle=vehicle or fleet.sedan, driver=driver or fleet.driver)  # fmt: skip
