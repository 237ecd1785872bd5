from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duban.core.admin import ServiceWrittenAdmin
from duban.rules.models import Rule, RuleAction, RuleCategory, RulePlan


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["title", "issuing_unit", "kind", "status", "version", "document_number"]
    list_filter = ["status", "kind", "scope"]
    search_fields = ["title", "document_number"]


@admin.register(RuleCategory)
class RuleCategoryAdmin(ServiceWrittenAdmin):
    list_display = ["name", "unit", "parent", "sort_order"]


@admin.register(RulePlan)
class RulePlanAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["title", "unit", "year", "scheme"]


@admin.register(RuleAction)
class RuleActionAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["title", "plan", "kind", "stage", "deadline"]
    list_filter = ["stage", "kind"]
