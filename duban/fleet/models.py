"""Shared official cars: the cars, their drivers, who runs the platform, each unit's monthly quota,
bookings with their steps, and the monthly settlement per unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel, StepEvent
from duban.fleet.choices import (
    HOLDING_STATES,
    QUOTA_ALERT_PERCENT,
    WINDOW_SLACK,
    BookingState,
    FleetRoleKind,
    LicenceClass,
    Pool,
    VehicleStatus,
    VehicleType,
)
from duban.orgs.models import Person, Unit

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class Vehicle(BaseModel):
    plate = models.CharField(_("plate"), max_length=12, unique=True)
    pool = models.CharField(_("pool"), max_length=10, choices=Pool.choices, default=Pool.PLATFORM)
    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices)
    model_name = models.CharField(_("make and model"), max_length=60, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(2), MaxValueValidator(60)])
    holder = models.ForeignKey(Unit, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="+")
    lessor = models.CharField(_("leasing company"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VehicleStatus.choices, default=VehicleStatus.AVAILABLE
    )
    status_note = models.CharField(_("why (maintenance, retirement)"), max_length=300, blank=True)
    odometer_km = models.PositiveIntegerField(_("odometer (km)"), default=0)
    insurance_until = models.DateField(_("insured until"), null=True, blank=True)
    inspection_due = models.DateField(_("next annual inspection"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["pool", "vehicle_type", "plate"]
        verbose_name = _("car")
        verbose_name_plural = _("cars")

    def __str__(self) -> str:
        return self.plate


class Driver(BaseModel):
    person = models.OneToOneField(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="driver")
    licence_class = models.CharField(_("licence class"), max_length=2, choices=LicenceClass.choices)
    licence_valid_until = models.DateField(_("licence valid until"))
    is_available = models.BooleanField(_("available for trips"), default=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["person__name"]
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")

    def __str__(self) -> str:
        return self.person.name


class FleetRole(BaseModel):
    """Who runs the platform (administrators, dispatchers of the 机关事务局) and who approves a
    unit's requests (usually its office director)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="fleet_roles")
    role = models.CharField(_("role"), max_length=10, choices=FleetRoleKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("platform role")
        verbose_name_plural = _("platform roles")
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "unit"], name="fleet_role_unique"),
            models.CheckConstraint(
                condition=Q(role=FleetRoleKind.APPROVER, unit__isnull=False) | ~Q(role=FleetRoleKind.APPROVER),
                name="fleet_approver_has_unit",
                violation_error_message=_("Name the unit whose requests the approver approves."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class Quota(BaseModel):
    """A unit's trips a month on the platform; past the alert share the approver is warned, past
    the quota the platform administrator decides."""

    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    trips_per_month = models.PositiveSmallIntegerField(_("trips a month"), validators=[MinValueValidator(1)])
    alert_percent = models.PositiveSmallIntegerField(
        _("alert at (%)"), default=QUOTA_ALERT_PERCENT, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("monthly quota")
        verbose_name_plural = _("monthly quotas")

    def __str__(self) -> str:
        return f"{self.unit} · {self.trips_per_month}"

    def alerts_at(self, used: int) -> bool:
        """Whether `used` trips reach the alert share of the quota."""
        return used * 100 >= self.trips_per_month * self.alert_percent


class Tariff(BaseModel):
    """What a trip costs the unit: per kilometre and per hour, by vehicle type."""

    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices, unique=True)
    per_km = models.DecimalField(_("per km (yuan)"), **MONEY)
    per_hour = models.DecimalField(_("per hour (yuan)"), **MONEY)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["vehicle_type"]
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")

    def __str__(self) -> str:
        return self.get_vehicle_type_display()


class Settlement(BaseModel):
    """One unit's trips of one month, settled together (月度结算)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # its first day
    trips = models.PositiveIntegerField(_("trips"), default=0)
    km = models.PositiveIntegerField(_("kilometres"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, default=0)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, default=0)
    settled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month", "unit__sort_order"]
        verbose_name = _("monthly settlement")
        verbose_name_plural = _("monthly settlements")
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="fleet_one_settlement_a_month")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.month:%Y-%m}"


class BookingQuerySet(models.QuerySet):
    def overlapping(self, starts_at: dt.datetime, ends_at: dt.datetime) -> BookingQuerySet:
        """Bookings holding their car and driver at some moment of [starts_at, ends_at): dispatched,
        confirmed or on the road; a car still out past its window holds it until it is back."""
        holds = Q(ends_at__gt=starts_at)
        if starts_at < timezone.now():
            holds |= Q(state=BookingState.ON_TRIP)
        return self.filter(holds, state__in=HOLDING_STATES, starts_at__lt=ends_at)


class Booking(BaseModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(USER, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=12, choices=BookingState.choices, default=BookingState.PENDING_APPROVAL
    )
    starts_at = models.DateTimeField(_("trip starts"))
    ends_at = models.DateTimeField(_("trip ends"))
    origin = models.CharField(_("from (place)"), max_length=120)
    destination = models.CharField(_("to (place)"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)
    passengers = models.PositiveSmallIntegerField(_("passengers"), validators=[MinValueValidator(1)])
    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices)
    contact_name = models.CharField(_("passenger to contact"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    emergency = models.CharField(_("emergency (why)"), max_length=200, blank=True)
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("car"), null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    driver = models.ForeignKey(
        Driver, verbose_name=_("driver"), null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    odometer_out = models.PositiveIntegerField(_("odometer at departure (km)"), null=True, blank=True)
    odometer_in = models.PositiveIntegerField(_("odometer on return (km)"), null=True, blank=True)
    tolls = models.DecimalField(_("tolls (yuan)"), default=0, **MONEY)
    parking = models.DecimalField(_("parking (yuan)"), default=0, **MONEY)
    amount = models.DecimalField(_("charge (yuan)"), null=True, blank=True, **MONEY)
    settlement = models.ForeignKey(Settlement, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("car booking")
        verbose_name_plural = _("car bookings")
        indexes = [
            models.Index(fields=["vehicle", "starts_at"], name="fleet_booking_vehicle"),
            models.Index(fields=["driver", "starts_at"], name="fleet_booking_driver"),
            models.Index(fields=["unit", "starts_at"], name="fleet_booking_unit"),
            models.Index(fields=["state", "starts_at"], name="fleet_booking_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="fleet_booking_window",
                violation_error_message=_("The trip must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(odometer_in__isnull=True)
                | Q(odometer_out__isnull=False, odometer_in__gte=models.F("odometer_out")),
                name="fleet_booking_odometer",
                violation_error_message=_("The odometer on return cannot be below its reading at departure."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def km(self) -> int | None:
        if self.odometer_in is None or self.odometer_out is None:
            return None
        return self.odometer_in - self.odometer_out

    @property
    def hours(self) -> Decimal | None:
        if self.departed_at is None or self.returned_at is None:
            return None
        seconds = (self.returned_at - self.departed_at).total_seconds()
        return (Decimal(seconds) / 3600).quantize(Decimal("0.1"))

    @property
    def stars(self) -> str:
        return "★" * (self.rating or 0)

    @property
    def outside_window(self) -> bool:
        """Left well before the approved window or came back well after it."""
        early = self.departed_at is not None and self.departed_at < self.starts_at - WINDOW_SLACK
        late = self.returned_at is not None and self.returned_at > self.ends_at + WINDOW_SLACK
        return early or late

    @property
    def overdue(self) -> bool:
        """Still out past its window: the next booking of this car may not get it on time."""
        return self.state == BookingState.ON_TRIP and timezone.now() > self.ends_at + WINDOW_SLACK


class BookingEvent(StepEvent):
    """Append-only: one row per step of a booking (and its rating)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.booking_id} {self.code}"


class Receipt(BaseModel):
    """A toll or parking receipt the driver photographs on return."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(_("receipt"), upload_to="fleet/receipts/%Y/%m/")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.name
