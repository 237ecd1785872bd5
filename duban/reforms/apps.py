from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformsConfig(AppConfig):
    name = "duban.reforms"
    label = "reforms"
    verbose_name = _("Reforms")

    def nav_items(self):
        from duban.orgs.access import is_official

        def sits_on_a_panel(user) -> bool:
            """Experts on a panel (officials reach theirs from the evaluation pages)."""
            from duban.reforms.models import PanelMember

            return getattr(user, "is_expert", False) and PanelMember.objects.filter(user=user).exists()

        return [
            ("reforms:reform_list", _("Reforms"), is_official),
            ("reforms:my_panels", _("Expert scoring"), sits_on_a_panel),
        ]

    def ledger_owners(self):
        """The subjects this context attaches to ledger items (see `duban.ledger.owners`)."""
        from duban.reforms.subjects import ReformOwner

        return [ReformOwner()]
