from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "duban.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def nav_items(self):
        from duban.ledger.access import is_supervisor
        from duban.orgs.access import is_official

        return [
            ("ledger:inbox", _("My work"), is_official),
            ("ledger:item_list", _("Ledger"), is_official),
            ("ledger:queue", _("Review queue"), is_supervisor),
        ]

    def sweep(self) -> str:
        """Upkeep beside the daily sweep (`duban sweep` calls it on every run)."""
        from duban.ledger.services.imports import stale_uploads_remove

        return f"removed {stale_uploads_remove()} uploads never imported"
