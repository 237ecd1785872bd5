"""Shared official cars (共享公务用车): the cars, their drivers, and the steps a booking goes through."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class Pool(models.TextChoices):
    RETAINED = "retained", _("Unit-retained car")  # 保留车辆
    PLATFORM = "platform", _("Platform car")  # 平台车辆
    LEASED = "leased", _("Leased car")  # 租赁车辆


class VehicleType(models.TextChoices):
    """From small to large: a dispatcher upgrades or downgrades along this order."""

    SEDAN = "sedan", _("Sedan")
    SUV = "suv", _("SUV")
    MPV = "mpv", _("Business van")
    MINIBUS = "minibus", _("Minibus")
    BUS = "bus", _("Coach")


TYPE_ORDER = list(VehicleType.values)


class VehicleStatus(models.TextChoices):
    AVAILABLE = "available", pgettext_lazy("vehicle", "Available")
    IN_USE = "in_use", pgettext_lazy("vehicle", "On a trip")
    MAINTENANCE = "maintenance", pgettext_lazy("vehicle", "Under maintenance")
    RETIRED = "retired", pgettext_lazy("vehicle", "Retired")


VEHICLE_MOVES = Table(
    VehicleStatus,
    [
        move("maintain", _("Send for maintenance"), {VehicleStatus.AVAILABLE}, VehicleStatus.MAINTENANCE, "admin",
             needs_reason=True, event="fleet.vehicle.maintenance"),
        move("restore", _("Back in service"), {VehicleStatus.MAINTENANCE}, VehicleStatus.AVAILABLE, "admin",
             event="fleet.vehicle.restored"),
        move("retire", pgettext_lazy("vehicle", "Retire"), {VehicleStatus.AVAILABLE, VehicleStatus.MAINTENANCE},
             VehicleStatus.RETIRED, "admin", needs_reason=True, confirm=True, event="fleet.vehicle.retired"),
        move("depart", _("Depart"), {VehicleStatus.AVAILABLE}, VehicleStatus.IN_USE, "driver",
             event="fleet.vehicle.departed"),
        move("return", _("Return"), {VehicleStatus.IN_USE}, VehicleStatus.AVAILABLE, "driver",
             event="fleet.vehicle.returned"),
    ],
    not_now=_("“%(action)s” is not possible while the car is “%(state)s”."),
)  # fmt: skip


class LicenceClass(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


# The licence classes that may drive each type (a C1 licence drives cars and vans up to 9 seats).
LICENCES_FOR = {
    VehicleType.SEDAN: {"A1", "A2", "B1", "B2", "C1", "C2"},
    VehicleType.SUV: {"A1", "A2", "B1", "B2", "C1", "C2"},
    VehicleType.MPV: {"A1", "A2", "B1", "B2", "C1", "C2"},
    VehicleType.MINIBUS: {"A1", "B1"},
    VehicleType.BUS: {"A1"},
}


class FleetRoleKind(models.TextChoices):
    PLATFORM_ADMIN = "admin", _("Platform administrator")  # 平台管理员 (机关事务)
    DISPATCHER = "dispatcher", _("Dispatcher")  # 调度员
    APPROVER = "approver", _("Unit approver")  # 单位审批人


class BookingState(models.TextChoices):
    PENDING_APPROVAL = "pending", _("Awaiting the unit's approval")  # 待审批
    PENDING_QUOTA = "over_quota", _("Over quota: awaiting the platform")  # 超额待平台审批
    PENDING_DISPATCH = "approved", _("Awaiting dispatch")  # 待派车
    DISPATCHED = "dispatched", _("Car assigned")  # 已派车
    ACCEPTED = "accepted", _("Driver confirmed")  # 已接单
    ON_TRIP = "on_trip", _("On the road")  # 行程中
    COMPLETED = "completed", _("Completed")  # 已完成
    SETTLED = "settled", _("Settled")  # 已结算
    REFUSED = "refused", _("Refused")  # 已驳回
    CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")  # 已取消


# A car and a driver are taken from dispatch until the car is back.
HOLDING_STATES = frozenset({BookingState.DISPATCHED, BookingState.ACCEPTED, BookingState.ON_TRIP})
# Bookings that count against the unit's monthly quota: approved by the unit, not refused or cancelled.
QUOTA_STATES = frozenset(
    {
        BookingState.PENDING_QUOTA,
        BookingState.PENDING_DISPATCH,
        BookingState.DISPATCHED,
        BookingState.ACCEPTED,
        BookingState.ON_TRIP,
        BookingState.COMPLETED,
        BookingState.SETTLED,
    }
)
OPEN_STATES = frozenset(
    {
        BookingState.PENDING_APPROVAL,
        BookingState.PENDING_QUOTA,
        BookingState.PENDING_DISPATCH,
        BookingState.DISPATCHED,
        BookingState.ACCEPTED,
    }
)

# actor keys: "applicant" (the requesting unit), "approver" (the unit's approver), "admin" (the
# platform administrator), "dispatcher", "driver" (the trip's driver).
BOOKING_MOVES = Table(
    BookingState,
    [
        move("approve", _("Approve"), {BookingState.PENDING_APPROVAL}, BookingState.PENDING_DISPATCH, "approver",
             event="fleet.booking.approved"),
        move("refer", _("Approve over quota"), {BookingState.PENDING_APPROVAL}, BookingState.PENDING_QUOTA,
             "approver", event="fleet.booking.referred"),
        move("allow", _("Allow over quota"), {BookingState.PENDING_QUOTA}, BookingState.PENDING_DISPATCH, "admin",
             event="fleet.booking.allowed"),
        move("refuse", _("Refuse"), {BookingState.PENDING_APPROVAL, BookingState.PENDING_QUOTA,
                                     BookingState.PENDING_DISPATCH},
             BookingState.REFUSED, "decider", needs_reason=True, event="fleet.booking.refused"),
        move("dispatch", pgettext_lazy("booking", "Dispatch"), {BookingState.PENDING_DISPATCH},
             BookingState.DISPATCHED, "dispatcher", event="fleet.booking.dispatched"),
        move("redispatch", _("Change car or driver"), {BookingState.DISPATCHED, BookingState.ACCEPTED},
             BookingState.DISPATCHED, "dispatcher", needs_reason=True, event="fleet.booking.redispatched"),
        move("take", _("Confirm the trip"), {BookingState.DISPATCHED}, BookingState.ACCEPTED, "driver",
             event="fleet.booking.taken"),
        move("decline", _("Cannot drive this trip"), {BookingState.DISPATCHED, BookingState.ACCEPTED},
             BookingState.PENDING_DISPATCH, "driver", needs_reason=True, event="fleet.booking.declined"),
        move("depart", _("Depart"), {BookingState.ACCEPTED}, BookingState.ON_TRIP, "driver",
             event="fleet.booking.departed"),
        move("return", _("Back"), {BookingState.ON_TRIP}, BookingState.COMPLETED, "driver",
             event="fleet.booking.returned"),
        move("settle", _("Settle"), {BookingState.COMPLETED}, BookingState.SETTLED, "admin",
             event="fleet.booking.settled"),
        move("cancel", pgettext_lazy("booking", "Cancel"), OPEN_STATES, BookingState.CANCELLED, "applicant",
             needs_reason=True, confirm=True, event="fleet.booking.cancelled"),
    ],
    not_now=_("“%(action)s” is not possible while the booking is “%(state)s”."),
)  # fmt: skip

EVENT_LABELS = {
    "fleet.booking.requested": _("Requested"),
    "fleet.booking.rated": _("Rated"),
    **{m.event: m.label for m in BOOKING_MOVES.values()},
}

# Requests come this long before the trip; emergencies say why and skip it.
LEAD_TIME = dt.timedelta(hours=2)
# A departure this much before the approved window, or a return this much after, is flagged.
WINDOW_SLACK = dt.timedelta(minutes=30)
# The share of the monthly quota at which the approver is warned.
QUOTA_ALERT_PERCENT = 80
