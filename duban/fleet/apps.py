from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FleetConfig(AppConfig):
    name = "duban.fleet"
    label = "fleet"
    verbose_name = _("Official cars")

    def nav_items(self):
        from duban.fleet.access import may_use_platform

        return [("fleet:home", _("Official cars"), may_use_platform)]
