from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duban.reforms.models import Reform, ReformAdjustment


@admin.register(Reform)
class ReformAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "level", "group", "lead_unit", "deadline"]
    list_filter = ["year", "level", "group"]


@admin.register(ReformAdjustment)
class ReformAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["reform", "state", "created_at", "decided_at"]
