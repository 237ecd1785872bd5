"""The car platform's pages: requests and their steps, the approver's and the dispatcher's queues, the
driver's phone page, and the cars with their week."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.exports import Column, amount, count, xlsx_response, xlsx_sheets_response
from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.fleet import access, availability, services, summary
from duban.fleet.choices import BOOKING_MOVES, EVENT_LABELS, OPEN_STATES, VEHICLE_MOVES, BookingState
from duban.fleet.forms import (
    BookingForm,
    DepartForm,
    DispatchForm,
    RateForm,
    ReasonForm,
    ReturnForm,
    SettlementForm,
)
from duban.fleet.models import Booking, Receipt, Settlement, Vehicle
from duban.ledger.models import Item
from duban.orgs import access as org_access
from duban.orgs.filters import UnitsFilterForm
from duban.orgs.models import Unit

PAGE_SIZE = 50


@login_required
def home(request):
    """The user's bookings (their units', or their trips as a driver), and what waits for them."""
    access.require_platform(request.user)
    bookings = access.bookings_for(request.user).select_related("unit", "vehicle", "driver__person")
    state = request.GET.get("state", "")
    if state in BookingState.values:
        bookings = bookings.filter(state=state)
    approvals = []
    for unit in access.approved_units(request.user):
        used, quota = services.quota_use(unit, timezone.localdate().replace(day=1))
        waiting = Booking.objects.filter(
            unit__in=Unit.objects.subtree(unit), state=BookingState.PENDING_APPROVAL
        ).select_related("unit")
        alert = quota is not None and quota.alerts_at(used)
        approvals.append(
            {"unit": unit, "used": used, "quota": quota, "alert": alert, "waiting": list(waiting.order_by("starts_at"))}
        )
    context = {
        "page": CappedPaginator(bookings.order_by("-starts_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page")),
        "state": state,
        "states": BookingState.choices,
        "approvals": approvals,
        "may_request": access.may_request(request.user),
    }
    return render(request, "fleet/home.html", context)


def _request_units(user):
    return org_access.scope_roots(user)


@login_required
def booking_new(request):
    access.require_platform(request.user)
    units = _request_units(request.user)
    if not units:
        raise Http404
    form = BookingForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            booking = services.booking_request(actor=request.user, official_use=data.pop("official_use"), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Car requested: %(number)s.") % {"number": booking.number})
            return redirect("fleet:booking_detail", pk=booking.pk)
    return render(request, "fleet/booking_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def booking_detail(request, pk: int):
    booking = access.get_booking_for_user(request.user, pk)
    return _booking_page(request, booking)


def _step_forms(request, booking: Booking, posted: str = "") -> dict:
    """The form of each step the user may take now, keyed by the step's code; only the step that
    was `posted` is bound to what was sent, so a refusal shows on its own form alone."""
    user = request.user
    forms = {}
    for move in BOOKING_MOVES.available(booking.state):
        if not services.may_step(user, booking, move):
            continue
        data, files = (request.POST, request.FILES) if move.code == posted else (None, None)
        if move.code in ("dispatch", "redispatch"):
            current = {"vehicle": booking.vehicle_id, "driver": booking.driver_id} if booking.vehicle_id else {}
            forms[move.code] = DispatchForm(
                data,
                vehicles=availability.free_vehicles(booking),
                drivers=availability.free_drivers(booking),
                needs_reason=move.needs_reason,
                prefix=move.code,
                initial=current,
            )
        elif move.code == "depart":
            forms[move.code] = DepartForm(data, initial={"odometer_out": booking.vehicle.odometer_km})
        elif move.code == "return":
            forms[move.code] = ReturnForm(data, files)
        elif move.needs_reason:
            forms[move.code] = ReasonForm(data, prefix=move.code)
        elif move.code != "refer":
            forms[move.code] = None
    return forms


def _booking_page(request, booking: Booking, forms: dict | None = None, status: int = 200):
    forms = forms if forms is not None else _step_forms(request, booking)
    steps = [{"move": BOOKING_MOVES[code], "form": form} for code, form in forms.items()]
    rateable = (
        booking.state in (BookingState.COMPLETED, BookingState.SETTLED)
        and booking.rating is None
        and access.acts_for(request.user, booking.unit)
    )
    car_out = None
    if booking.vehicle_id and booking.state in (BookingState.DISPATCHED, BookingState.ACCEPTED):
        car_out = (
            Booking.objects.filter(vehicle_id=booking.vehicle_id, state=BookingState.ON_TRIP)
            .exclude(pk=booking.pk)
            .first()
        )
    used, quota = services.quota_use(booking.unit, services.month_of(booking.starts_at), excluding=booking)
    context = {
        "booking": booking,
        "steps": steps,
        "events": [
            {"event": e, "label": EVENT_LABELS.get(e.code, e.code)}
            for e in booking.events.select_related("actor").order_by("at", "pk")
        ],
        "receipts": booking.receipts.all(),
        "rate_form": RateForm() if rateable else None,
        "car_out": car_out if car_out is not None and car_out.overdue else None,
        "quota": quota,
        "used": used,
        "quota_alert": quota is not None and quota.alerts_at(used + 1),
        "sees_contact": access.acts_for(request.user, booking.unit)
        or access.is_dispatcher(request.user)
        or (booking.driver is not None and access.driver_of(request.user) == booking.driver)
        or access.approves_for(request.user, booking.unit),
    }
    return render(request, "fleet/booking_detail.html", context, status=status)


@login_required
@require_POST
def booking_step(request, pk: int, code: str):
    booking = access.get_booking_for_user(request.user, pk)
    if code not in BOOKING_MOVES:
        raise Http404
    forms = _step_forms(request, booking, posted=code)
    data: dict = {}
    form = forms.get(code)
    if form is not None:
        if not form.is_valid():
            return _booking_page(request, booking, forms, status=400)
        data = dict(form.cleaned_data)
    reason = data.pop("reason", "") or ""
    try:
        services.booking_step(actor=request.user, booking=booking, code=code, reason=reason, **data)
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
            return _booking_page(request, booking, forms, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": BOOKING_MOVES[code].label})
    if code in ("take", "depart", "return") and request.POST.get("next") == "driver":
        return redirect("fleet:driver")
    return redirect("fleet:booking_detail", pk=booking.pk)


@login_required
def receipt(request, pk: int):
    found = get_object_or_404(Receipt.objects.select_related("booking"), pk=pk)
    access.get_booking_for_user(request.user, found.booking_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
@require_POST
def booking_rate(request, pk: int):
    booking = access.get_booking_for_user(request.user, pk)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.booking_rate(actor=request.user, booking=booking, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for rating the trip."))
    else:
        messages.error(request, _("Choose from one to five stars."))
    return redirect("fleet:booking_detail", pk=booking.pk)


@login_required
def board(request):
    """The dispatcher's board: requests to dispatch, over-quota requests for the administrator,
    cars still out past their window, and what is on the road today."""
    access.require_dispatcher(request.user)
    pending = list(
        Booking.objects.filter(state=BookingState.PENDING_DISPATCH).select_related("unit").order_by("starts_at")
    )
    for booking in pending:
        booking.free_vehicles = list(availability.free_vehicles(booking)[:6])
        booking.free_driver_count = availability.free_drivers(booking).count()
    today = timezone.localdate()
    zone = timezone.get_default_timezone()
    day_start = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    context = {
        "pending": pending,
        "over_quota": Booking.objects.filter(state=BookingState.PENDING_QUOTA).select_related("unit")
        if access.is_platform_admin(request.user)
        else [],
        "still_out": availability.still_out(),
        "today": Booking.objects.filter(
            state__in=OPEN_STATES | {BookingState.ON_TRIP},
            starts_at__lt=day_start + dt.timedelta(days=1),
            ends_at__gt=day_start,
        )
        .exclude(state__in=(BookingState.PENDING_APPROVAL, BookingState.PENDING_QUOTA))
        .select_related("unit", "vehicle", "driver__person")
        .order_by("starts_at"),
    }
    return render(request, "fleet/board.html", context)


@login_required
def driver(request):
    """The driver's phone page: today's and the coming trips, one tap to confirm, depart, return."""
    me = access.driver_of(request.user)
    if me is None:
        raise Http404
    today = timezone.localdate()
    zone = timezone.get_default_timezone()
    since = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    trips = list(
        Booking.objects.filter(driver=me)
        .filter(state__in=(BookingState.DISPATCHED, BookingState.ACCEPTED, BookingState.ON_TRIP))
        .select_related("unit", "vehicle")
        .order_by("starts_at")
    )
    done = Booking.objects.filter(driver=me, returned_at__gte=since).select_related("unit", "vehicle")
    for trip in trips:
        if trip.state == BookingState.ACCEPTED and timezone.now() < trip.starts_at - services.EARLIEST_DEPARTURE:
            trip.not_yet = True  # no one-tap departure a day early
        elif trip.state == BookingState.ACCEPTED:
            trip.step_code, trip.step_form = "depart", DepartForm(initial={"odometer_out": trip.vehicle.odometer_km})
        elif trip.state == BookingState.ON_TRIP:
            trip.step_code, trip.step_form = "return", ReturnForm()
        if getattr(trip, "step_form", None) is not None:
            trip.step_label = BOOKING_MOVES[trip.step_code].label
    return render(request, "fleet/driver.html", {"driver": me, "trips": trips, "done": done})


@login_required
def vehicle_list(request):
    """Every car's week, or one day of every car (`?day=`)."""
    access.require_platform(request.user)
    vehicles = list(Vehicle.objects.exclude(status="retired").select_related("holder"))
    context = {"admin": access.is_platform_admin(request.user)}
    try:
        day = dt.date.fromisoformat(request.GET.get("day") or "")
    except ValueError:
        day = None
    if day is not None:
        monday = day - dt.timedelta(days=day.weekday())
        rows = _week_rows(monday, vehicles, request.user)
        for row in rows:
            row["cells"] = [row["cells"][day.weekday()]]
        context.update(
            rows=rows, day=day, days=[day], previous=day - dt.timedelta(days=1), next=day + dt.timedelta(days=1)
        )
    else:
        monday = _monday(request.GET.get("week"))
        context.update(rows=_week_rows(monday, vehicles, request.user), monday=monday,
                       days=[monday + dt.timedelta(days=n) for n in range(7)],
                       previous=monday - dt.timedelta(days=7), next=monday + dt.timedelta(days=7))  # fmt: skip
    return render(request, "fleet/vehicle_list.html", context)


@login_required
def vehicle_detail(request, pk: int):
    access.require_platform(request.user)
    vehicle = get_object_or_404(Vehicle.objects.select_related("holder"), pk=pk)
    monday = _monday(request.GET.get("week"))
    context = {
        "vehicle": vehicle,
        "monday": monday,
        "days": [monday + dt.timedelta(days=n) for n in range(7)],
        "rows": _week_rows(monday, [vehicle], request.user),
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "admin": access.is_platform_admin(request.user),
        "moves": [m for m in VEHICLE_MOVES.available(vehicle.status) if m.actor == "admin"]
        if access.is_platform_admin(request.user)
        else [],
        "history": vehicle.history.select_related("history_user").order_by("-history_date")[:50],
        "items": Item.objects.for_subject(vehicle).select_related("ledger").order_by("-pk"),
    }
    return render(request, "fleet/vehicle_detail.html", context)


@login_required
@require_POST
def vehicle_step(request, pk: int, code: str):
    vehicle = get_object_or_404(Vehicle, pk=pk)
    access.require_platform_admin(request.user)
    try:
        services.vehicle_step(actor=request.user, vehicle=vehicle, code=code, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(VEHICLE_MOVES[code].label))
    return redirect("fleet:vehicle_detail", pk=vehicle.pk)


def _week_rows(monday: dt.date, vehicles: list[Vehicle], user) -> list[dict]:
    """Each car's seven days, the day's label written once for the 700 cells of a hundred cars.
    A trip the user may not see shows as the time the car is taken, without its unit or link."""
    slots = availability.week(monday, vehicles)
    ids = {slot.booking.pk for found in slots.values() for slot in found}
    seen = (
        ids
        if access.is_dispatcher(user)
        else set(access.bookings_for(user).filter(pk__in=ids).values_list("pk", flat=True))
    )
    for found in slots.values():
        for slot in found:
            slot.shown = slot.booking.pk in seen
    labels = [date_format(monday + dt.timedelta(days=n), "m-d D") for n in range(7)]
    rows = []
    for vehicle in vehicles:
        by_day: list[list] = [[] for _ in labels]
        for slot in slots.get(vehicle.pk, []):
            by_day[slot.day].append(slot)
        cells = [{"label": label, "slots": found} for label, found in zip(labels, by_day, strict=True)]
        rows.append({"vehicle": vehicle, "cells": cells})
    return rows


@login_required
def utilisation(request):
    """Utilisation by car, unit and month, with charts and an .xlsx export."""
    access.require_overseer(request.user)
    this_month = timezone.localdate().replace(day=1)
    last = _month(request.GET.get("to")) or this_month
    first = _month(request.GET.get("from")) or (last - dt.timedelta(days=335)).replace(day=1)  # twelve months
    if first > last:
        first, last = last, first
    narrowing = UnitsFilterForm(request.GET)  # the units a figure elsewhere (the cockpit) links with
    figures = summary.utilisation(first, last, units=narrowing.units())
    if request.GET.get("format") == "xlsx":
        return _utilisation_xlsx(figures)
    kept = narrowing.kept()
    unlinked = request.GET.copy()
    for name, _value in kept:
        unlinked.pop(name, None)
    context = {
        "figures": figures,
        "linked": narrowing.shown(),
        "car_idle": not figures.narrowed,
        "kept": kept,
        "unlinked": unlinked.urlencode(),
        "chart": {
            "labels": [row.label for row in figures.months],
            "series": [{"name": str(_("Trips")), "values": [row.trips for row in figures.months]}],
        },
        "car_chart": {
            "labels": [row.label for row in figures.cars],
            "series": [{"name": str(_("Hours on the road")), "values": [float(row.hours) for row in figures.cars]}],
        },
        "query": request.GET.urlencode(),
    }
    return render(request, "fleet/utilisation.html", context)


def _utilisation_xlsx(figures):
    def rows(found, first):
        return ([row.label, *first(row), row.trips, row.hours, row.km, row.amount] for row in found)

    hours = Column(str(_("Hours on the road")), "#,##0.0", total=True)
    common = [count(_("Trips")), hours, count(_("Kilometres")), amount(_("Charged"))]
    title = _("Official car use %(first)s to %(last)s") % {
        "first": f"{figures.first:%Y-%m}",
        "last": f"{figures.last:%Y-%m}",
    }
    return xlsx_sheets_response(
        f"{title}.xlsx",
        [
            (_("By car"), [_("Car"), _("Pool"), _("Idle share (%)"), *common],
             rows(figures.cars, lambda r: [r.key.get_pool_display(), None if r.idle is None else round(r.idle * 100)])),
            (_("By unit"), [_("Unit"), *common], rows(figures.units, lambda r: [])),
            (_("By month"), [_("Month"), *common], rows(figures.months, lambda r: [])),
        ],
    )  # fmt: skip


@login_required
def settlement_list(request):
    access.require_platform(request.user)
    settlements = Settlement.objects.select_related("unit").order_by("-month", "unit__sort_order", "pk")
    if not access.is_platform_admin(request.user):
        settlements = settlements.filter(unit__in=Unit.objects.subtrees(org_access.scope_roots(request.user)))
    form = None
    if access.is_platform_admin(request.user):
        form = SettlementForm(request.POST or None, units=_borrowing_units())
        if request.method == "POST" and form.is_valid():
            try:
                made = services.settlement_make(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Settled: %(settlement)s.") % {"settlement": made})
                return redirect("fleet:settlement_list")
    context = {"page": CappedPaginator(settlements, PAGE_SIZE).get_page(request.GET.get("page")), "form": form}
    return render(request, "fleet/settlement_list.html", context, status=400 if form and form.errors else 200)


def _borrowing_units():
    return Unit.objects.filter(pk__in=Booking.objects.filter(state=BookingState.COMPLETED).values("unit"))


@login_required
def settlement_download(request, pk: int):
    access.require_platform(request.user)
    settlement = get_object_or_404(Settlement.objects.select_related("unit"), pk=pk)
    if not (access.is_platform_admin(request.user) or access.acts_for(request.user, settlement.unit)):
        raise Http404
    trips = settlement.bookings.select_related("vehicle", "driver__person").order_by("returned_at", "pk")
    headers = [_("Number"), _("Departed at"), _("Returned at"), _("Car"), _("Driver"), _("To (place)"),
               _("Purpose"), count(_("Kilometres")), _("Hours on the road"), amount(_("Tolls")),
               amount(_("Parking")), amount(_("Charge"))]  # fmt: skip
    rows = (
        [t.number, t.departed_at, t.returned_at, t.vehicle.plate, t.driver.person.name, t.destination, t.purpose,
         t.km, t.hours, t.tolls, t.parking, t.amount]
        for t in trips
    )  # fmt: skip
    name = _("%(unit)s official car settlement %(month)s") % {
        "unit": settlement.unit.name,
        "month": f"{settlement.month:%Y-%m}",
    }
    return xlsx_response(f"{name}.xlsx", _("Trips"), headers, rows)


def _month(value: str | None) -> dt.date | None:
    """ "2026-09" → 2026-09-01; None for anything else."""
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return None


def _monday(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())
