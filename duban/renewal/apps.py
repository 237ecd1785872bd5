from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "duban.renewal"
    label = "renewal"
    verbose_name = _("Urban renewal")

    def nav_items(self):
        from duban.renewal.access import may_use

        return [("renewal:home", _("Urban renewal"), may_use)]

    def cockpit_tiles(self, scope, today):
        """Mediation's and the supervised funds' tiles on the cockpit (see `duban.renewal.cockpit`)."""
        from duban.renewal.cockpit import tiles

        return tiles(scope, today)

    def ledger_owners(self):
        """A mediation case's period (see `duban.renewal.subjects`)."""
        from duban.renewal.subjects import CaseOwner

        return [CaseOwner()]
