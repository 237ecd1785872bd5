from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformsConfig(AppConfig):
    name = "duban.reforms"
    label = "reforms"
    verbose_name = _("Reforms")

    def nav_items(self):
        from duban.orgs.access import is_official, roles_of
        from duban.orgs.choices import Role

        def scores(user) -> bool:
            """Experts, and anyone else who sits on an expert panel."""
            from duban.reforms.models import PanelMember

            if Role.EXPERT in roles_of(user):
                return True
            return getattr(user, "is_authenticated", False) and PanelMember.objects.filter(user=user).exists()

        return [
            ("reforms:reform_list", _("Reforms"), is_official),
            ("reforms:my_panels", _("Expert scoring"), scores),
        ]

    def cockpit_tiles(self, scope, today):
        """The year's reforms on the leader's cockpit (`duban.cockpit.tiles`)."""
        from duban.reforms.cockpit import tiles

        return tiles(scope, today)

    def ledger_owners(self):
        """The subjects this context attaches to ledger items (see `duban.ledger.owners`)."""
        from duban.reforms.subjects import ReformOwner

        return [ReformOwner()]

    def ledger_import_subjects(self):
        """A reform ledger's imported rows, where the sheet names their special group, become reforms."""
        from duban.reforms.imports import ImportedReforms

        return {"reform": ImportedReforms}
