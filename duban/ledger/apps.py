from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "duban.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def nav_items(self):
        from duban.ledger.access import may_read_notifications, reviews_for_an_office
        from duban.orgs.access import is_official, scope_roots

        def has_a_unit(user) -> bool:
            """Their unit's to-do list: people posted in a district body."""
            return bool(scope_roots(user))

        def told_without_a_unit(user) -> bool:
            """Their notices alone: district leaders and people of outside bodies (a contractor, an
            evaluator), who have no unit's to-do list."""
            return not has_a_unit(user) and may_read_notifications(user)

        return [
            ("ledger:inbox", _("My work"), has_a_unit),
            ("ledger:notifications", _("Notifications"), told_without_a_unit),
            ("ledger:item_list", _("Ledger"), is_official),
            ("ledger:queue", _("Review queue"), reviews_for_an_office),
        ]

    def export_kinds(self):
        """What this context exports in the background when it is long (`duban.downloads`)."""
        from duban.ledger.downloads import KINDS

        return KINDS

    def sweep(self) -> str:
        """Upkeep beside the daily sweep (`duban sweep` calls it on every run)."""
        from duban.ledger.services.imports import stale_uploads_remove

        return f"removed {stale_uploads_remove()} uploads never imported"
