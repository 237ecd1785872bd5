from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    name = "duban.downloads"
    label = "downloads"
    verbose_name = _("Exports")

    def sweep(self) -> str:
        from duban.downloads.services import exports_expire

        return f"exports: {exports_expire()} files past their keeping removed"

    def recover(self) -> list[str]:
        from duban.downloads.services import exports_recover

        return exports_recover()
