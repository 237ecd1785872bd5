"""The one part of the car platform an office supervises by a deadline: a car's annual inspection
and its insurance. The sweep opens a ledger item for the unit that holds the car when either falls
due within `AHEAD_DAYS`; the unit records the renewed date on the car and submits the item, and
someone outside the unit verifies it, as for any ledger item."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.fleet.choices import VehicleStatus
from duban.fleet.models import Vehicle
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_transition, items_register

AHEAD_DAYS = 30
SHORTEST_DEADLINE = dt.timedelta(days=5)
# what falls due: (the car's date field, the item's title)
DUES = {"inspection_due": "车辆年检", "insurance_until": "车辆保险续保"}


def due_key(field: str, vehicle: Vehicle, due: dt.date) -> str:
    return f"fleet.{field}.{vehicle.pk}.{due.isoformat()}"


def field_of(item: Item) -> str | None:
    """The car's date an upkeep item is about, read from its external id."""
    parts = (item.external_id or "").split(".")
    return parts[1] if len(parts) == 4 and parts[0] == "fleet" and parts[1] in DUES else None


def due_of(item: Item) -> dt.date | None:
    parts = (item.external_id or "").split(".")
    return dt.date.fromisoformat(parts[3]) if field_of(item) else None


def upkeep_open(today: dt.date | None = None) -> tuple[int, int]:
    """Open an assigned item for every inspection and insurance of a car in service falling due
    within AHEAD_DAYS that has none yet. Returns (opened, waiting for this year's ledger)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=AHEAD_DAYS)
    wanted = []
    cars = Vehicle.objects.exclude(status=VehicleStatus.RETIRED).select_related("holder")
    for field, title in DUES.items():
        for vehicle in cars.filter(**{f"{field}__lte": horizon}).order_by(field, "pk"):
            due = getattr(vehicle, field)
            wanted.append((vehicle, field, title, due, due_key(field, vehicle, due)))
    if not wanted:
        return 0, 0
    ledger = Ledger.objects.filter(kind=LedgerKind.FLEET, year=today.year).order_by("pk").first()
    if ledger is None:
        return 0, len(wanted)
    taken = set(
        Item.objects.filter(external_id__in=[key for *_rest, key in wanted]).values_list("external_id", flat=True)
    )
    specs = [
        {"title": f"{title}：{vehicle.plate}（{due:%Y-%m-%d}到期）", "lead_unit": vehicle.holder,
         "deadline": max(due, today + SHORTEST_DEADLINE), "subject": vehicle, "external_id": key,
         "content": _("Renew it and record the new date on the car, then submit this item."),
         "category": _("Official car upkeep")}
        for vehicle, field, title, due, key in wanted
        if key not in taken
    ]  # fmt: skip
    if not specs:
        return 0, 0
    for item in items_register(actor=None, ledger=ledger, specs=specs, owner_rule=True):
        item_transition(actor=None, item=item, action="assign", owner_rule=True)
    return len(specs), 0
