from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "duban.rectification"
    label = "rectification"
    verbose_name = _("Rectification")

    def nav_items(self):
        from duban.orgs.access import is_official

        return [("rectification:audit_year", _("Audit rectification"), is_official)]

    def cockpit_tiles(self, scope, today):
        """This year's audit findings on the leader's cockpit (`duban.cockpit.tiles`)."""
        from duban.rectification.cockpit import tiles

        return tiles(scope, today)

    def ledger_owners(self):
        """The subjects this context attaches to ledger items (see `duban.ledger.owners`)."""
        from duban.rectification.subjects import FindingOwner

        return [FindingOwner()]

    def ledger_import_subjects(self):
        """An audit ledger's imported rows become this context's projects and findings."""
        from duban.rectification.imports import AuditFindings

        return {"audit": AuditFindings}
