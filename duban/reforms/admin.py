from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duban.core.admin import ServiceWrittenAdmin
from duban.reforms.models import Reform, ReformAdjustment


@admin.register(Reform)
class ReformAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    """Read-only: goals, plan and deadline change by an approved adjustment, on the reform's page."""

    list_display = ["title", "year", "level", "group", "lead_unit", "deadline"]
    list_filter = ["year", "level", "group"]


@admin.register(ReformAdjustment)
class ReformAdjustmentAdmin(ServiceWrittenAdmin):
    list_display = ["reform", "state", "created_at", "decided_at"]
