from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FleetConfig(AppConfig):
    name = "duban.fleet"
    label = "fleet"
    verbose_name = _("Official cars")

    def nav_items(self):
        from duban.fleet.access import may_use_platform

        return [("fleet:home", _("Official cars"), may_use_platform)]

    def cockpit_tiles(self, scope, today):
        """The car platform's tile on the cockpit (see `duban.fleet.cockpit`)."""
        from duban.fleet.cockpit import tiles

        return tiles(scope, today)

    def ledger_owners(self):
        """A car's upkeep items: inspection and insurance (see `duban.fleet.upkeep`)."""
        from duban.fleet.subjects import VehicleOwner

        return [VehicleOwner()]

    def sweep(self) -> str:
        from duban.fleet.upkeep import upkeep_open

        opened, waiting = upkeep_open()
        line = f"{opened} car upkeep items opened"
        return line + (f", {waiting} waiting for this year's official-car upkeep ledger" if waiting else "")
