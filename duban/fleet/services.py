"""Every write on the car platform. A booking moves only through `booking_step`, which checks the
transition table and who may make the move, locks the booking (and, to dispatch, the car and the
driver, so two dispatchers never give one car or driver two trips at once) and writes the step's
event row in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.numbering import next_value
from duban.core.uploads import DOCUMENT_KINDS, check_file
from duban.core.workdays import moment
from duban.fleet import access, notices
from duban.fleet.choices import (
    BOOKING_MOVES,
    LEAD_TIME,
    LICENCES_FOR,
    QUOTA_STATES,
    TYPE_ORDER,
    VEHICLE_MOVES,
    BookingState,
    VehicleStatus,
)
from duban.fleet.models import Booking, BookingEvent, Driver, FleetRole, Quota, Receipt, Settlement, Tariff, Vehicle
from duban.orgs.models import Unit, User

RECEIPT_MAX_BYTES = 10 * 1024 * 1024
EARLIEST_DEPARTURE = dt.timedelta(hours=2)  # a departure earlier than this is a mistaken tap
RECEIPT_KINDS = {ending: DOCUMENT_KINDS[ending] for ending in (".jpg", ".jpeg", ".png", ".pdf")}


def _event(booking: Booking, actor, code: str, from_state: str, at, reason: str = "", **data) -> None:
    BookingEvent.write(actor=actor, code=code, at=at, before=from_state, after=booking.state, reason=reason,
                       data=data, booking=booking)  # fmt: skip


def month_of(moment_: dt.datetime) -> dt.date:
    return timezone.localtime(moment_).date().replace(day=1)


def quota_use(unit: Unit, month: dt.date, *, excluding: Booking | None = None) -> tuple[int, Quota | None]:
    """(trips of the unit counted against its quota in `month`, its quota or None when unlimited)."""
    start = dt.datetime.combine(month, dt.time(), tzinfo=timezone.get_default_timezone())
    end = dt.datetime.combine((month + dt.timedelta(days=32)).replace(day=1), dt.time(), tzinfo=start.tzinfo)
    used = Booking.objects.filter(unit=unit, state__in=QUOTA_STATES, starts_at__gte=start, starts_at__lt=end)
    if excluding is not None:
        used = used.exclude(pk=excluding.pk)
    return used.count(), Quota.objects.filter(unit=unit).first()


@transaction.atomic
def booking_request(
    *,
    actor: User | None,
    unit: Unit,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    origin: str,
    destination: str,
    purpose: str,
    passengers: int,
    vehicle_type: str,
    contact_name: str,
    contact_phone: str,
    official_use: bool,
    emergency: str = "",
    at: dt.datetime | None = None,
) -> Booking:
    """申请: a unit asks for a car for an official trip. Requests come `LEAD_TIME` ahead unless
    they say why they are an emergency; private use is refused."""
    if actor is None:
        raise ValidationError(_("A booking is requested by a person."))
    if not access.acts_for(actor, unit):
        raise PermissionDenied(_("You request cars for your own unit."))
    at, _today = moment(at)
    starts_at, ends_at = (
        value if timezone.is_aware(value) else timezone.make_aware(value) for value in (starts_at, ends_at)
    )
    if not official_use:
        raise ValidationError({"official_use": _("Official cars are for official business only, never private use.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The trip must end after it starts.")})
    if starts_at < at:
        raise ValidationError({"starts_at": _("The trip cannot start in the past.")})
    if starts_at < at + LEAD_TIME and not emergency.strip():
        hours = int(LEAD_TIME.total_seconds() // 3600)
        raise ValidationError(
            {
                "starts_at": _("Request a car at least %(hours)s hours ahead, or say why it is an emergency.")
                % {"hours": hours}
            }
        )
    year = timezone.localtime(at).year
    booking = Booking(
        number=f"用车{year}-{next_value(f'fleet.booking.{year}'):05d}",
        unit=unit,
        applicant=actor,
        starts_at=starts_at,
        ends_at=ends_at,
        origin=origin.strip(),
        destination=destination.strip(),
        purpose=purpose.strip(),
        passengers=passengers,
        vehicle_type=vehicle_type,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        emergency=emergency.strip(),
        created_at=at,
    )
    booking.full_clean()
    booking.save()
    _event(booking, actor, "fleet.booking.requested", "", at, emergency=bool(booking.emergency))
    notices.booking_moved(booking, "requested", actor)
    return booking


def may_step(actor, booking: Booking, move) -> bool:
    if actor is None:  # the system (the demo's history)
        return True
    key = move.actor
    if key == "decider":
        key = {
            BookingState.PENDING_APPROVAL: "approver",
            BookingState.PENDING_QUOTA: "admin",
            BookingState.PENDING_DISPATCH: "dispatcher",
        }[booking.state]
    if key == "approver":
        return access.approves_for(actor, booking.unit)
    if key == "admin":
        return access.is_platform_admin(actor)
    if key == "dispatcher":
        return access.is_dispatcher(actor)
    if key == "driver":
        driver = access.driver_of(actor)
        return driver is not None and driver.pk == booking.driver_id
    if key == "applicant":
        return access.acts_for(actor, booking.unit) or access.is_dispatcher(actor)
    return False


REFUSALS = {
    "approver": _("Only the unit's approver approves or refuses its requests."),
    "admin": _("Only the platform's administrators do this."),
    "dispatcher": _("Only the platform's dispatchers do this."),
    "driver": _("Only the trip's driver does this."),
    "applicant": _("Only the requesting unit or a dispatcher cancels a booking."),
    "decider": _("Only whoever decides at this stage may refuse."),
}


@transaction.atomic
def booking_step(
    *, actor: User | None, booking: Booking, code: str, reason: str = "", at: dt.datetime | None = None, **data
) -> Booking:
    """The one way a booking changes state. A refused step changes nothing."""
    at, _today = moment(at)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("unit").get(pk=booking.pk)
    if code == "approve" and booking.state == BookingState.PENDING_APPROVAL and _over_quota(booking):
        code = "refer"
    step = BOOKING_MOVES.check(
        booking.state,
        code,
        may=lambda m: may_step(actor, booking, m),
        refusal=lambda m: REFUSALS[m.actor],
        reason=reason,
    )
    before = booking.state
    extra = _APPLY.get(code, _nothing)(booking, actor=actor, at=at, **data)
    booking.state = step.target_from(before)
    booking.full_clean()
    booking.save()
    _event(booking, actor, step.event, before, at, reason.strip(), **(extra or {}))
    notices.booking_moved(booking, code, actor)
    return booking


def _nothing(booking, **_kwargs) -> None:
    return None


def _over_quota(booking: Booking) -> bool:
    used, quota = quota_use(booking.unit, month_of(booking.starts_at), excluding=booking)
    return quota is not None and used + 1 > quota.trips_per_month


def _dispatch(booking: Booking, *, actor, at, vehicle: Vehicle | None = None, driver: Driver | None = None, **_kw):
    if vehicle is None or driver is None:
        raise ValidationError(_("Choose a car and a driver."))
    # lock the car and the driver (always in this order) so two dispatchers wait for each other
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    driver = Driver.objects.select_for_update().select_related("person").get(pk=driver.pk)
    check_assignment(booking, vehicle, driver)
    booking.vehicle, booking.driver = vehicle, driver
    change = TYPE_ORDER.index(vehicle.vehicle_type) - TYPE_ORDER.index(booking.vehicle_type)
    return {
        "vehicle": vehicle.plate,
        "driver": driver.person.name,
        "type_change": "upgrade" if change > 0 else "downgrade" if change < 0 else "",
    }


def check_assignment(booking: Booking, vehicle: Vehicle, driver: Driver) -> None:
    """A car that can take the trip and a driver who may drive it, both free for its window."""
    errors = []
    if vehicle.status in (VehicleStatus.MAINTENANCE, VehicleStatus.RETIRED):
        errors.append(_("%(plate)s is %(status)s.") % {"plate": vehicle.plate, "status": vehicle.get_status_display()})
    if vehicle.seats < booking.passengers + 1:
        errors.append(
            _("%(plate)s has %(seats)s seats; the trip needs %(needed)s with the driver.")
            % {"plate": vehicle.plate, "seats": vehicle.seats, "needed": booking.passengers + 1}
        )
    if not driver.is_available:
        errors.append(_("%(name)s is not available for trips.") % {"name": driver.person.name})
    if driver.licence_valid_until < timezone.localtime(booking.ends_at).date():
        errors.append(_("%(name)s's licence expires before the trip.") % {"name": driver.person.name})
    if driver.licence_class not in LICENCES_FOR[vehicle.vehicle_type]:
        errors.append(
            _("A %(licence)s licence does not cover a %(type)s.")
            % {"licence": driver.licence_class, "type": vehicle.get_vehicle_type_display()}
        )
    clashes = Booking.objects.overlapping(booking.starts_at, booking.ends_at).exclude(pk=booking.pk)
    for clash in clashes.filter(vehicle=vehicle)[:1]:
        errors.append(
            _("%(plate)s is already on %(number)s (%(start)s–%(end)s).")
            % {"plate": vehicle.plate, "number": clash.number, **_window(clash)}
        )
    for clash in clashes.filter(driver=driver)[:1]:
        errors.append(
            _("%(name)s already drives %(number)s (%(start)s–%(end)s).")
            % {"name": driver.person.name, "number": clash.number, **_window(clash)}
        )
    if errors:
        raise ValidationError(errors)


def _window(booking: Booking) -> dict:
    start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    return {
        "start": f"{start:%m-%d %H:%M}",
        "end": f"{end:%H:%M}" if end.date() == start.date() else f"{end:%m-%d %H:%M}",
    }


def _decline(booking: Booking, **_kwargs) -> dict:
    left = {"vehicle": booking.vehicle.plate if booking.vehicle else "", "driver": str(booking.driver or "")}
    booking.vehicle, booking.driver = None, None
    return left


def _depart(booking: Booking, *, actor, at, odometer_out: int | None = None, **_kw) -> dict:
    vehicle = Vehicle.objects.select_for_update().get(pk=booking.vehicle_id)
    if at < booking.starts_at - EARLIEST_DEPARTURE:
        start = timezone.localtime(booking.starts_at)
        raise ValidationError(_("The trip starts at %(start)s: set off at most two hours before.") % {
            "start": f"{start:%m-%d %H:%M}"})  # fmt: skip
    if odometer_out is None:
        raise ValidationError({"odometer_out": _("Read the odometer before setting off.")})
    if odometer_out < vehicle.odometer_km:
        raise ValidationError(
            {"odometer_out": _("The odometer read %(km)s km at the car's last return.") % {"km": vehicle.odometer_km}}
        )
    VEHICLE_MOVES.check(vehicle.status, "depart")
    vehicle.status = VehicleStatus.IN_USE
    vehicle.odometer_km = odometer_out
    _save_trip_state(vehicle)
    booking.departed_at, booking.odometer_out = at, odometer_out
    return {"odometer_out": odometer_out, "early": at < booking.starts_at}


def _return(
    booking: Booking,
    *,
    actor,
    at,
    odometer_in: int | None = None,
    tolls: Decimal = Decimal(0),
    parking: Decimal = Decimal(0),
    receipts=(),
    **_kw,
) -> dict:
    if odometer_in is None:
        raise ValidationError({"odometer_in": _("Read the odometer on return.")})
    if odometer_in < booking.odometer_out:
        raise ValidationError(
            {"odometer_in": _("The odometer read %(km)s km at departure.") % {"km": booking.odometer_out}}
        )
    if (tolls or parking) and not receipts:
        raise ValidationError({"receipts": _("Attach the receipts for tolls and parking.")})
    for upload in receipts:
        check_receipt(upload)
    vehicle = Vehicle.objects.select_for_update().get(pk=booking.vehicle_id)
    VEHICLE_MOVES.check(vehicle.status, "return")
    vehicle.status, vehicle.odometer_km = VehicleStatus.AVAILABLE, odometer_in
    _save_trip_state(vehicle)
    booking.returned_at, booking.odometer_in = at, odometer_in
    booking.tolls, booking.parking = tolls or Decimal(0), parking or Decimal(0)
    booking.amount = charge_of(booking, vehicle)
    for upload in receipts:
        Receipt.objects.create(booking=booking, file=upload, name=Path(upload.name).name[:200])
    return {"odometer_in": odometer_in, "km": booking.km, "late": booking.outside_window}


def _save_trip_state(vehicle: Vehicle) -> None:
    """A car leaving and coming back is told by its bookings' events, not by the car's history,
    which keeps the administrator's changes (maintenance, dates, retirement)."""
    vehicle.skip_history_when_saving = True
    try:
        vehicle.save(update_fields=["status", "odometer_km", "updated_at"])
    finally:
        del vehicle.skip_history_when_saving


def charge_of(booking: Booking, vehicle: Vehicle) -> Decimal:
    """Kilometres and hours at the car type's tariff, plus tolls and parking."""
    tariff = Tariff.objects.filter(vehicle_type=vehicle.vehicle_type).first()
    running = Decimal(0)
    if tariff is not None:
        running = tariff.per_km * booking.km + tariff.per_hour * booking.hours
    return (running + booking.tolls + booking.parking).quantize(Decimal("0.01"))


def check_receipt(upload) -> None:
    """A photo (JPEG, PNG) or PDF of at most 10 MB, judged by its bytes, not its name or declared size."""
    check_file(upload, field="receipts", kinds=RECEIPT_KINDS, max_bytes=RECEIPT_MAX_BYTES,
               kinds_label=_("a photo (JPEG, PNG) or a PDF"))  # fmt: skip


_APPLY = {"dispatch": _dispatch, "redispatch": _dispatch, "decline": _decline, "depart": _depart, "return": _return}


@transaction.atomic
def booking_rate(*, actor: User | None, booking: Booking, rating: int, comment: str = "", at=None) -> Booking:
    """评价: the requesting unit rates a finished trip, once."""
    at, _today = moment(at)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("unit").get(pk=booking.pk)
    if actor is not None and not access.acts_for(actor, booking.unit):
        raise PermissionDenied(_("The requesting unit rates its trips."))
    if booking.state not in (BookingState.COMPLETED, BookingState.SETTLED):
        raise ValidationError(_("A trip is rated once it is back."))
    if booking.rating is not None:
        raise ValidationError(_("This trip has been rated."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    booking.rating, booking.rating_comment = rating, comment.strip()
    booking.full_clean()
    booking.save(update_fields=["rating", "rating_comment", "updated_at"])
    _event(booking, actor, "fleet.booking.rated", booking.state, at, comment.strip(), rating=rating)
    return booking


@transaction.atomic
def settlement_make(*, actor: User | None, unit: Unit, month: dt.date, at=None) -> Settlement:
    """结算: the unit's trips back in `month` are settled together; each becomes settled."""
    if actor is not None and not access.is_platform_admin(actor):
        raise PermissionDenied(_("Only the platform's administrators do this."))
    at, today = moment(at)
    month = month.replace(day=1)
    if month >= today.replace(day=1):
        raise ValidationError({"month": _("A month is settled once it is over.")})
    if Settlement.objects.filter(unit=unit, month=month).exists():
        raise ValidationError({"month": _("%(unit)s's trips of %(month)s are already settled.") % {
            "unit": unit.name, "month": f"{month:%Y-%m}"}})  # fmt: skip
    start = dt.datetime.combine(month, dt.time(), tzinfo=timezone.get_default_timezone())
    end = dt.datetime.combine((month + dt.timedelta(days=32)).replace(day=1), dt.time(), tzinfo=start.tzinfo)
    trips = list(
        Booking.objects.select_for_update()
        .filter(unit=unit, state=BookingState.COMPLETED, returned_at__gte=start, returned_at__lt=end)
        .order_by("returned_at", "pk")
    )
    if not trips:
        raise ValidationError({"month": _("%(unit)s has no unsettled trips in %(month)s.") % {
            "unit": unit.name, "month": f"{month:%Y-%m}"}})  # fmt: skip
    settlement = Settlement.objects.create(
        unit=unit,
        month=month,
        trips=len(trips),
        km=sum(trip.km for trip in trips),
        hours=sum(trip.hours for trip in trips),
        amount=sum(trip.amount or 0 for trip in trips),
        settled_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=at,
    )
    for trip in trips:
        step = BOOKING_MOVES.check(trip.state, "settle")
        trip.settlement, trip.state = settlement, step.target
        trip.save(update_fields=["settlement", "state", "updated_at"])
        _event(trip, actor, step.event, BookingState.COMPLETED, at, settlement=settlement.pk)
    return settlement


@transaction.atomic
def vehicle_step(*, actor: User | None, vehicle: Vehicle, code: str, reason: str = "", at=None) -> Vehicle:
    """Maintenance, back in service, retirement: the platform administrator's moves of a car."""
    if actor is not None and not access.is_platform_admin(actor):
        raise PermissionDenied(_("Only the platform's administrators do this."))
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    step = VEHICLE_MOVES.check(vehicle.status, code, may=lambda m: m.actor == "admin", reason=reason)
    if step.target in (VehicleStatus.MAINTENANCE, VehicleStatus.RETIRED):
        ahead = Booking.objects.filter(
            vehicle=vehicle, state__in=(BookingState.DISPATCHED, BookingState.ACCEPTED)
        ).order_by("starts_at")
        if ahead.exists():
            raise ValidationError(
                _("%(plate)s is dispatched for %(numbers)s: give those trips another car first.")
                % {"plate": vehicle.plate, "numbers": "、".join(b.number for b in ahead[:5])}
            )
    vehicle.status, vehicle.status_note = step.target, reason.strip()
    save_with_history(vehicle, actor=actor, reason=step.event)
    return vehicle


@transaction.atomic
def setting_save(*, actor: User | None, instance, reason: str, **fields):
    """A car, a driver, a quota, a tariff or a platform role, added or changed by the platform's
    administrators, with its history."""
    if actor is not None and not access.is_platform_admin(actor):
        raise PermissionDenied(_("Only the platform's administrators do this."))
    if instance.pk is not None:
        instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    save_with_history(instance, actor=actor, reason=reason)
    return instance


@transaction.atomic
def role_remove(*, actor: User | None, role: FleetRole) -> None:
    if actor is not None and not access.is_platform_admin(actor):
        raise PermissionDenied(_("Only the platform's administrators do this."))
    role._history_user = actor if getattr(actor, "is_authenticated", False) else None
    role._change_reason = "fleet.role.removed"
    role.delete()
