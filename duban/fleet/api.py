"""The car platform's JSON API: cars, what is free for a window, bookings and their steps — the same
services and access rules as the pages. Receipts are uploaded on the pages (a return with tolls or
parking needs them)."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from duban.core.api import READ_ERRORS, WRITE_ERRORS, Id, Pages, PathId, StepEventOut
from duban.fleet import access, availability, services
from duban.fleet.choices import BookingState, LicenceClass, Pool, VehicleStatus, VehicleType
from duban.fleet.models import Driver, Vehicle
from duban.orgs.models import Unit

router = Router(tags=["fleet"])


class VehicleOut(Schema):
    id: int
    plate: str
    pool: Pool
    vehicle_type: VehicleType
    model_name: str
    seats: int
    holder_id: int
    status: VehicleStatus
    odometer_km: int
    insurance_until: dt.date | None
    inspection_due: dt.date | None


class DriverOut(Schema):
    id: int
    name: str
    licence_class: LicenceClass

    @staticmethod
    def resolve_name(driver: Driver) -> str:
        return driver.person.name


class BookingOut(Schema):
    id: int
    number: str
    unit_id: int
    state: BookingState
    starts_at: dt.datetime
    ends_at: dt.datetime
    origin: str
    destination: str
    purpose: str
    passengers: int
    vehicle_type: VehicleType
    contact_name: str
    contact_phone: str
    emergency: str
    vehicle_id: int | None
    driver_id: int | None
    departed_at: dt.datetime | None
    returned_at: dt.datetime | None
    odometer_out: int | None
    odometer_in: int | None
    tolls: Decimal
    parking: Decimal
    amount: Decimal | None
    rating: int | None


class BookingIn(Schema):
    unit_id: Id
    starts_at: dt.datetime
    ends_at: dt.datetime
    origin: str = Field(..., min_length=1, max_length=120)
    destination: str = Field(..., min_length=1, max_length=200)
    purpose: str = Field(..., min_length=1, max_length=300)
    passengers: int = Field(..., ge=1, le=60)
    vehicle_type: VehicleType
    contact_name: str = Field(..., min_length=1, max_length=40)
    contact_phone: str = Field(..., min_length=1, max_length=20)
    official_use: bool
    emergency: str = Field("", max_length=200)


class BookingStepIn(Schema):
    code: str = Field(..., pattern="^(approve|allow|refuse|dispatch|redispatch|take|decline|depart|return|cancel)$")
    reason: str = Field("", max_length=500)
    vehicle_id: Id | None = None
    driver_id: Id | None = None
    odometer_out: int | None = Field(None, ge=0, le=10_000_000)
    odometer_in: int | None = Field(None, ge=0, le=10_000_000)
    tolls: Decimal = Field(Decimal(0), ge=0, max_digits=8, decimal_places=2)
    parking: Decimal = Field(Decimal(0), ge=0, max_digits=8, decimal_places=2)


class TripRatingIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=300)


class BookingFilter(Schema):
    state: BookingState | None = None
    unit_id: Id | None = None


class FreeForBooking(Schema):
    vehicles: list[VehicleOut]
    drivers: list[DriverOut]


@router.get("/vehicles", response={200: list[VehicleOut], **READ_ERRORS})
def list_vehicles(request):
    access.require_platform(request.auth)
    return list(Vehicle.objects.order_by("pool", "vehicle_type", "plate"))


@router.get("/vehicles/{vehicle_id}", response={200: VehicleOut, **READ_ERRORS})
def get_vehicle(request, vehicle_id: PathId):
    access.require_platform(request.auth)
    return get_object_or_404(Vehicle, pk=vehicle_id)


@router.get("/bookings", response={200: list[BookingOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_bookings(request, filters: Query[BookingFilter]):
    access.require_platform(request.auth)
    bookings = access.bookings_for(request.auth).order_by("-starts_at", "-pk")
    if filters.state:
        bookings = bookings.filter(state=filters.state)
    if filters.unit_id:
        bookings = bookings.filter(unit_id=filters.unit_id)
    return bookings


@router.get("/bookings/{booking_id}", response={200: BookingOut, **READ_ERRORS})
def get_booking(request, booking_id: PathId):
    return access.get_booking_for_user(request.auth, booking_id)


@router.get("/bookings/{booking_id}/events", response={200: list[StepEventOut], **READ_ERRORS})
def booking_events(request, booking_id: PathId):
    return list(access.get_booking_for_user(request.auth, booking_id).events.order_by("at", "pk"))


@router.get("/bookings/{booking_id}/free", response={200: FreeForBooking, **READ_ERRORS})
def free_for_booking(request, booking_id: PathId):
    """The cars and drivers free for the booking's window (dispatchers)."""
    access.require_dispatcher(request.auth)
    booking = access.get_booking_for_user(request.auth, booking_id)
    return {
        "vehicles": list(availability.free_vehicles(booking)),
        "drivers": list(availability.free_drivers(booking)),
    }


@router.post("/bookings", response={201: BookingOut, **WRITE_ERRORS})
def request_booking(request, payload: BookingIn):
    access.require_platform(request.auth)
    unit = get_object_or_404(Unit, pk=payload.unit_id)
    return Status(201, services.booking_request(actor=request.auth, unit=unit, **payload.dict(exclude={"unit_id"})))


@router.post("/bookings/{booking_id}/steps", response={200: BookingOut, **WRITE_ERRORS})
def step_booking(request, booking_id: PathId, payload: BookingStepIn):
    booking = access.get_booking_for_user(request.auth, booking_id)
    data = {}
    if payload.code in ("dispatch", "redispatch"):
        data["vehicle"] = get_object_or_404(Vehicle, pk=payload.vehicle_id) if payload.vehicle_id else None
        data["driver"] = get_object_or_404(Driver, pk=payload.driver_id) if payload.driver_id else None
    elif payload.code == "depart":
        data["odometer_out"] = payload.odometer_out
    elif payload.code == "return":
        data.update(odometer_in=payload.odometer_in, tolls=payload.tolls, parking=payload.parking)
    return services.booking_step(actor=request.auth, booking=booking, code=payload.code, reason=payload.reason, **data)


@router.post("/bookings/{booking_id}/rating", response={200: BookingOut, **WRITE_ERRORS})
def rate_booking(request, booking_id: PathId, payload: TripRatingIn):
    booking = access.get_booking_for_user(request.auth, booking_id)
    return services.booking_rate(actor=request.auth, booking=booking, rating=payload.rating, comment=payload.comment)
