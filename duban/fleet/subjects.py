"""What the car platform tells the ledger about a car's upkeep items (inspection, insurance): the
ledger runs them, except that an item is submitted only once the car shows the renewed date, and
it is one item with no sub-items."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duban.fleet.models import Vehicle
from duban.fleet.upkeep import due_of, field_of
from duban.ledger.owners import OwnedItemRefused, SubjectOwner, refused_elsewhere


class VehicleOwner(SubjectOwner):
    model = Vehicle
    url_name = "fleet:vehicle_detail"

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        field = field_of(item)
        if action == "submit" and field is not None:
            renewed = getattr(subject, field)
            if renewed is None or renewed <= due_of(item):
                return refused_elsewhere(self, subject, _("record the renewed date on the car"))
        return None

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("a car's upkeep is one item"))
