from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "duban.notifications"
    label = "notifications"
    verbose_name = _("Notification delivery")

    def sweep(self) -> str:
        """The embedded install's upkeep: retries that are due, and the digests whose hour has come."""
        from duban.notifications import services

        sent = services.deliver_due()
        digests = services.digests_send()
        return f"notifications: {sent} delivered, {digests} digests sent"

    def recover(self) -> list[str]:
        from duban.notifications import services

        resumed = services.deliveries_recover()
        return [f"notifications: {resumed} deliveries left sending by a stopped worker queued again"] if resumed else []
