from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "duban.renewal"
    label = "renewal"
    verbose_name = _("Urban renewal")

    def nav_items(self):
        from duban.renewal.access import may_use

        return [("renewal:home", _("Urban renewal"), may_use)]

    def ledger_owners(self):
        """A mediation case's period (see `duban.renewal.subjects`)."""
        from duban.renewal.subjects import CaseOwner

        return [CaseOwner()]
