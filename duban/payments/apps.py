from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "duban.payments"
    label = "payments"
    verbose_name = _("Treasury green channel")

    def nav_items(self):
        from duban.payments.access import may_use

        return [("payments:home", _("Treasury payments"), may_use)]

    def cockpit_tiles(self, scope, today):
        """The green channel's tile on the cockpit (see `duban.payments.cockpit`)."""
        from duban.payments.cockpit import tiles

        return tiles(scope, today)

    def ledger_owners(self):
        """A missing document's supplement item (see `duban.payments.subjects`)."""
        from duban.payments.subjects import GapOwner

        return [GapOwner()]

    def sweep(self) -> str:
        from duban.payments.services import gaps_lapse, suspensions_review

        overdue = gaps_lapse()
        started, ended = suspensions_review()
        return f"{overdue} missing documents overdue, {started} green channels suspended, {ended} restored"
