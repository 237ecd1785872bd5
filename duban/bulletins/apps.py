from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "duban.bulletins"
    label = "bulletins"
    verbose_name = _("Supervision bulletins")

    def nav_items(self):
        from duban.bulletins.access import may_read

        return [("bulletins:home", _("Bulletins"), may_read)]

    def sweep(self) -> str:
        from duban.bulletins.services import drafts_due

        drafted = drafts_due()
        return f"bulletins: {len(drafted)} drafted" + "".join(f", {bulletin.title}" for bulletin in drafted)
