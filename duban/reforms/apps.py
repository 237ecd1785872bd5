from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformsConfig(AppConfig):
    name = "duban.reforms"
    label = "reforms"
    verbose_name = _("Reforms")

    def nav_items(self):
        from duban.orgs.access import is_official

        return [("reforms:reform_list", _("Reforms"), is_official)]
