from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "duban.cockpit"
    label = "cockpit"
    verbose_name = _("Leader's cockpit")

    def nav_items(self):
        from duban.cockpit.access import may_see

        return [("cockpit:home", _("Cockpit"), may_see)]
