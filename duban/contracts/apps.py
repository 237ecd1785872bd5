from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "duban.contracts"
    label = "contracts"
    verbose_name = _("Construction contracts")

    def nav_items(self):
        from duban.contracts.access import may_use

        return [("contracts:home", _("Construction contracts"), may_use)]

    def cockpit_tiles(self, scope, today):
        """Contracts in performance, late key nodes, penalties and rewards (see `duban.cockpit.tiles`)."""
        from duban.contracts.cockpit import tiles

        return tiles(scope, today)

    def ledger_owners(self):
        """A contract's key nodes (see `duban.contracts.subjects`)."""
        from duban.contracts.subjects import NodeOwner

        return [NodeOwner()]
