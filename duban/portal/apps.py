from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "duban.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def nav_items(self):
        """The public entries: for visitors, residents and experts; officials have their own pages."""
        from duban.orgs.access import is_official, roles_of
        from duban.orgs.choices import Role

        def public(user) -> bool:
            return not is_official(user)

        def resident(user) -> bool:
            return Role.RESIDENT in roles_of(user)

        return [
            ("portal:problem_new", _("Report a problem"), public),
            ("portal:problems", _("Map of problems"), public),
            ("portal:policies", _("Policies and rules"), public),
            ("portal:my_problems", _("My reports"), resident),
        ]
