"""A booking from request to settlement through `booking_step`, and what must never happen: a car
or a driver in two trips at once, an odometer running backwards, a step by the wrong person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from duban.core.errors import TransitionError
from duban.fleet import access, services
from duban.fleet.models import Booking, BookingEvent, Quota, Settlement
from duban.fleet.tests.conftest import approved, dispatched, request_car, tomorrow
from duban.ledger.models import Notification

pytestmark = pytest.mark.django_db

RECEIPT = b"\xff\xd8\xff\xe0" + b"0" * 100


def _snapshot(booking: Booking) -> tuple:
    booking.refresh_from_db()
    return booking.state, booking.vehicle_id, booking.driver_id, booking.events.count()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"official_use": False}, "official_use"),
        ({"start": 12, "end": 9}, "ends_at"),
    ],
)
def test_a_request_that_breaks_the_rules_is_refused_with_nothing_saved(personas, fleet, fields, field):
    with pytest.raises(ValidationError) as refused:
        request_car(personas, **fields)
    assert field in refused.value.message_dict
    assert not Booking.objects.exists() and not BookingEvent.objects.exists()


def test_a_request_inside_the_lead_time_needs_an_emergency_and_says_so(personas, fleet):
    soon = timezone.now() + dt.timedelta(minutes=40)
    with pytest.raises(ValidationError) as refused:
        services.booking_request(
            actor=personas.unit_a_staff, unit=personas.unit_a, starts_at=soon, ends_at=soon + dt.timedelta(hours=2),
            origin="东门街道", destination="罗湖口岸", purpose="防汛应急巡查", passengers=2, vehicle_type="suv",
            contact_name="张三", contact_phone="13900001111", official_use=True,
        )  # fmt: skip
    assert "starts_at" in refused.value.message_dict and not Booking.objects.exists()
    booking = services.booking_request(
        actor=personas.unit_a_staff, unit=personas.unit_a, starts_at=soon, ends_at=soon + dt.timedelta(hours=2),
        origin="东门街道", destination="罗湖口岸", purpose="防汛应急巡查", passengers=2, vehicle_type="suv",
        contact_name="张三", contact_phone="13900001111", official_use=True, emergency="台风红色预警，紧急巡查",
    )  # fmt: skip
    assert booking.emergency and booking.events.get().data == {"emergency": True}


def test_a_unit_requests_only_for_itself(personas, fleet):
    with pytest.raises(PermissionDenied):
        request_car(personas, user=personas.unit_b_staff, unit=personas.unit_a)
    assert not Booking.objects.exists()


def test_only_the_units_approver_approves_and_a_refusal_needs_a_reason(personas, fleet):
    booking = request_car(personas)
    before = _snapshot(booking)
    for outsider in (personas.unit_a_staff, personas.unit_b_staff, fleet.dispatcher):
        with pytest.raises(PermissionDenied):
            services.booking_step(actor=outsider, booking=booking, code="approve")
    with pytest.raises(ValidationError):
        services.booking_step(actor=personas.unit_a_head, booking=booking, code="refuse", reason=" ")
    assert _snapshot(booking) == before

    booking = services.booking_step(actor=personas.unit_a_head, booking=booking, code="approve")
    assert booking.state == "approved"
    assert list(booking.events.values_list("code", flat=True)) == ["fleet.booking.requested", "fleet.booking.approved"]


def test_over_its_monthly_quota_a_unit_needs_the_platform_administrator(personas, fleet):
    Quota.objects.create(unit=personas.unit_a, trips_per_month=1)
    first = approved(personas, fleet)
    second = approved(personas, fleet, start=14, end=16)
    assert (first.state, second.state) == ("approved", "over_quota")
    assert services.quota_use(personas.unit_a, services.month_of(second.starts_at))[0] == 2

    with pytest.raises(PermissionDenied):
        services.booking_step(actor=personas.unit_a_head, booking=second, code="allow")
    second = services.booking_step(actor=fleet.admin, booking=second, code="allow")
    assert second.state == "approved"


def test_a_car_or_a_driver_is_never_in_two_trips_at_once(personas, fleet):
    first = dispatched(personas, fleet, start=9, end=12)
    second = approved(personas, fleet, start=11, end=13)
    before = _snapshot(second)

    with pytest.raises(ValidationError) as car_taken:
        services.booking_step(actor=fleet.dispatcher, booking=second, code="dispatch",
                              vehicle=fleet.sedan, driver=fleet.other_driver)  # fmt: skip
    assert first.number in str(car_taken.value) and "粤B·A1001" in str(car_taken.value)
    with pytest.raises(ValidationError) as driver_taken:
        services.booking_step(actor=fleet.dispatcher, booking=second, code="dispatch",
                              vehicle=fleet.other_sedan, driver=fleet.driver)  # fmt: skip
    assert first.number in str(driver_taken.value)
    assert _snapshot(second) == before

    services.booking_step(actor=fleet.dispatcher, booking=second, code="dispatch",
                          vehicle=fleet.other_sedan, driver=fleet.other_driver)  # fmt: skip
    back_to_back = approved(personas, fleet, start=12, end=14)
    services.booking_step(actor=fleet.dispatcher, booking=back_to_back, code="dispatch",
                          vehicle=fleet.sedan, driver=fleet.driver)  # fmt: skip


def test_a_car_in_maintenance_too_small_or_beyond_the_drivers_licence_is_not_dispatched(personas, fleet):
    services.vehicle_step(actor=fleet.admin, vehicle=fleet.sedan, code="maintain", reason="更换刹车片")
    booking = approved(personas, fleet, passengers=6)
    with pytest.raises(ValidationError) as refused:
        services.booking_step(actor=fleet.dispatcher, booking=booking, code="dispatch",
                              vehicle=fleet.sedan, driver=fleet.driver)  # fmt: skip
    assert "维修保养" in str(refused.value) and "5" in str(refused.value)

    fleet.van.vehicle_type = "minibus"
    fleet.van.seats = 14
    fleet.van.save()
    with pytest.raises(ValidationError) as refused:
        services.booking_step(actor=fleet.dispatcher, booking=booking, code="dispatch",
                              vehicle=fleet.van, driver=fleet.other_driver)  # fmt: skip
    assert "C1" in str(refused.value)

    booking = services.booking_step(actor=fleet.dispatcher, booking=booking, code="dispatch",
                                    vehicle=fleet.van, driver=fleet.driver)  # fmt: skip
    assert booking.events.last().data["type_change"] == "upgrade"


def test_only_the_trips_driver_takes_it_and_a_declined_trip_goes_back_to_dispatch(personas, fleet):
    booking = dispatched(personas, fleet)
    with pytest.raises(PermissionDenied):
        services.booking_step(actor=fleet.other_driver_user, booking=booking, code="take")
    booking = services.booking_step(actor=fleet.driver_user, booking=booking, code="take")
    assert booking.state == "accepted"
    booking = services.booking_step(actor=fleet.driver_user, booking=booking, code="decline", reason="身体不适")
    assert (booking.state, booking.vehicle, booking.driver) == ("approved", None, None)


def test_a_trip_from_departure_to_settlement(personas, fleet):
    booking = dispatched(personas, fleet)
    booking = services.booking_step(actor=fleet.driver_user, booking=booking, code="take")
    with pytest.raises(ValidationError) as backwards:
        services.booking_step(actor=fleet.driver_user, booking=booking, code="depart", odometer_out=900,
                              at=tomorrow(9))  # fmt: skip
    assert "1000" in str(backwards.value)
    booking = services.booking_step(
        actor=fleet.driver_user, booking=booking, code="depart", odometer_out=1000, at=tomorrow(9)
    )
    fleet.sedan.refresh_from_db()
    assert (booking.state, fleet.sedan.status) == ("on_trip", "in_use")

    before = _snapshot(booking)
    with pytest.raises(ValidationError) as below:
        services.booking_step(actor=fleet.driver_user, booking=booking, code="return", odometer_in=990)
    assert "odometer_in" in below.value.message_dict
    with pytest.raises(ValidationError) as no_receipt:
        services.booking_step(actor=fleet.driver_user, booking=booking, code="return", odometer_in=1040,
                              tolls=Decimal("15"))  # fmt: skip
    assert "receipts" in no_receipt.value.message_dict
    fake = SimpleUploadedFile("收据.jpg", b"not a photo at all")
    with pytest.raises(ValidationError):
        services.booking_step(actor=fleet.driver_user, booking=booking, code="return", odometer_in=1040,
                              tolls=Decimal("15"), receipts=[fake])  # fmt: skip
    assert _snapshot(booking) == before

    booking = services.booking_step(
        actor=fleet.driver_user, booking=booking, code="return", odometer_in=1040, tolls=Decimal("15"),
        receipts=[SimpleUploadedFile("收据.jpg", RECEIPT)], at=tomorrow(13),
    )  # fmt: skip
    fleet.sedan.refresh_from_db()
    assert (booking.state, booking.km, booking.hours) == ("completed", 40, Decimal("4.0"))
    assert booking.amount == Decimal("1.50") * 40 + 20 * 4 + 15  # km and hours at the tariff, plus tolls
    assert booking.outside_window  # back an hour after the approved 12:00
    assert (fleet.sedan.status, fleet.sedan.odometer_km) == ("available", 1040)

    services.booking_rate(actor=personas.unit_a_staff, booking=booking, rating=5, comment="准时")
    with pytest.raises(ValidationError):
        services.booking_rate(actor=personas.unit_a_staff, booking=booking, rating=4)

    month = services.month_of(booking.returned_at)
    later = (month + dt.timedelta(days=40)).replace(day=1)
    settlement = services.settlement_make(actor=fleet.admin, unit=personas.unit_a, month=month,
                                          at=timezone.make_aware(dt.datetime.combine(later, dt.time(9))))  # fmt: skip
    booking.refresh_from_db()
    assert (booking.state, settlement.trips, settlement.km, settlement.amount) == ("settled", 1, 40, booking.amount)
    with pytest.raises(ValidationError):
        services.settlement_make(actor=fleet.admin, unit=personas.unit_a, month=month,
                                 at=timezone.make_aware(dt.datetime.combine(later, dt.time(9))))  # fmt: skip
    assert Settlement.objects.count() == 1


def test_a_booking_is_cancelled_by_its_unit_or_a_dispatcher_with_a_reason(personas, fleet):
    booking = dispatched(personas, fleet)
    with pytest.raises(PermissionDenied):
        services.booking_step(actor=personas.unit_b_staff, booking=booking, code="cancel", reason="会议取消")
    booking = services.booking_step(actor=personas.unit_a_staff, booking=booking, code="cancel", reason="会议取消")
    assert booking.state == "cancelled"
    with pytest.raises(TransitionError):
        services.booking_step(actor=fleet.driver_user, booking=booking, code="take")
    # the car is free again for that window
    dispatched(personas, fleet)


def test_each_sees_what_is_theirs(personas, fleet):
    mine = dispatched(personas, fleet)
    theirs = request_car(personas, user=personas.unit_b_staff, unit=personas.unit_b, start=14, end=15)

    def seen(user):
        return set(access.bookings_for(user).values_list("pk", flat=True))

    assert seen(personas.unit_a_staff) == seen(personas.unit_a_head) == {mine.pk}
    assert seen(personas.unit_b_staff) == {theirs.pk}
    assert seen(fleet.driver_user) == {mine.pk} and seen(fleet.other_driver_user) == set()
    assert seen(fleet.dispatcher) == seen(fleet.admin) == {mine.pk, theirs.pk}
    assert seen(personas.resident) == seen(personas.expert) == set()


def _inbox(user) -> list[tuple[str, str]]:
    """The user's car-platform notices, oldest first: (kind, link)."""
    found = Notification.objects.filter(user=user, kind__startswith="fleet.").order_by("pk")
    return list(found.values_list("kind", "link"))


def test_whoever_acts_next_finds_a_notice_in_the_inbox(personas, fleet, django_capture_on_commit_callbacks):
    capture, staff, head = django_capture_on_commit_callbacks, personas.unit_a_staff, personas.unit_a_head
    Quota.objects.create(unit=personas.unit_a, trips_per_month=1)
    with capture(execute=True):
        booking = request_car(personas)
    link = reverse("fleet:booking_detail", args=[booking.pk])
    assert _inbox(head) == [("fleet.booking.requested", link)] and _inbox(staff) == []
    with capture(execute=True), pytest.raises(PermissionDenied):  # refused: no notice
        services.booking_step(actor=staff, booking=booking, code="approve")
    with capture(execute=True):
        booking = services.booking_step(actor=head, booking=booking, code="approve")
    assert _inbox(staff) == [("fleet.booking.approve", link)] and len(_inbox(head)) == 1
    with capture(execute=True):
        services.booking_step(actor=fleet.dispatcher, booking=booking, code="dispatch", vehicle=fleet.sedan,
                              driver=fleet.driver)  # fmt: skip
    assert _inbox(fleet.driver_user) == [("fleet.booking.dispatch", link)] and _inbox(fleet.dispatcher) == []
    assert _inbox(fleet.other_driver_user) == [] and len(_inbox(staff)) == 1

    Notification.objects.all().delete()
    with capture(execute=True):
        over = approved(personas, fleet, start=14, end=16)  # over the quota: the platform decides
    over_link = reverse("fleet:booking_detail", args=[over.pk])
    assert _inbox(fleet.admin) == [("fleet.booking.refer", over_link)] and _inbox(staff) == []
    with capture(execute=True), pytest.raises(TransitionError):  # refused: no notice
        services.booking_step(actor=fleet.admin, booking=over, code="dispatch", vehicle=fleet.van,
                              driver=fleet.other_driver)  # fmt: skip
    with capture(execute=True):
        services.booking_step(actor=fleet.admin, booking=over, code="refuse", reason="本月额度已用完")
    assert _inbox(staff) == [("fleet.booking.refuse", over_link)]
    assert _inbox(fleet.admin) == [("fleet.booking.refer", over_link)] and len(_inbox(head)) == 1
