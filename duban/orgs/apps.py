from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "duban.orgs"
    label = "orgs"
    verbose_name = _("Organisation")

    def nav_items(self):
        """Entries this context adds to the main navigation: (url name, label, who sees it)."""
        from duban.orgs import access

        return [
            ("orgs:unit_tree", _("Organisation"), access.is_official),  # units, people and portfolios as tabs
        ]
