from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duban.rectification.models import AuditFinding, AuditProject, CoveragePlan


@admin.register(AuditProject)
class AuditProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "audited_unit", "report_number"]
    list_filter = ["year", "audit_type"]


@admin.register(AuditFinding)
class AuditFindingAdmin(SimpleHistoryAdmin):
    list_display = ["project", "seq", "title", "responsible_unit", "amount_involved", "amount_recovered"]


@admin.register(CoveragePlan)
class CoveragePlanAdmin(admin.ModelAdmin):
    list_display = ["name", "first_year", "last_year"]
