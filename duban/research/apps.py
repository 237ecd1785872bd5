from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "duban.research"
    label = "research"
    verbose_name = _("Commissioned research")

    def nav_items(self):
        from duban.research.access import may_use

        return [("research:home", _("Commissioned research"), may_use)]

    def cockpit_tiles(self, scope, today):
        """This year's projects and results adopted on the cockpit (see `duban.cockpit.tiles`)."""
        from duban.research.cockpit import tiles

        return tiles(scope, today)

    def ledger_owners(self):
        """A contract's milestones (see `duban.research.subjects`)."""
        from duban.research.subjects import MilestoneOwner

        return [MilestoneOwner()]

    def records_built_from(self, subjects) -> dict:
        """subject pk → the research results adopted into it (`duban.core.derived`)."""
        from duban.research.results_links import adopted_into

        return adopted_into(subjects)

    def build_from_link(self, subject, user):
        return None  # an adoption is recorded on the result's page
