from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "duban.campaigns"
    label = "campaigns"
    verbose_name = _("Special campaigns")

    def nav_items(self):
        from duban.orgs.access import is_official

        return [("campaigns:campaign_list", _("Special campaigns"), is_official)]

    def cockpit_tiles(self, scope, today):
        """The campaigns of the last eight weeks on the leader's cockpit (`duban.cockpit.tiles`)."""
        from duban.campaigns.cockpit import tiles

        return tiles(scope, today)

    def sweep(self) -> str:
        from duban.campaigns.stats import tally_fold

        return f"folded {tally_fold()} campaign statistics rows"

    def export_kinds(self):
        """What this context exports in the background when it is long (`duban.downloads`)."""
        from duban.campaigns.downloads import KINDS

        return KINDS

    def ledger_owners(self):
        """The subjects this context attaches to ledger items (see `duban.ledger.owners`)."""
        from duban.campaigns.subjects import ReportOwner

        return [ReportOwner()]

    def ledger_import_subjects(self):
        """A campaign ledger's imported rows that say where their problem is become reports."""
        from duban.campaigns.imports import ImportedReports

        return {"campaign": ImportedReports}

    def error_answers(self):
        """Open311 clients read errors in the spec's format, even for a body no view could read."""
        from duban.campaigns.open311 import error_answer

        return {"/open311/": error_answer}
