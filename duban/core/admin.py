from django.contrib import admin

from duban.core.models import WorkdayOverride


class ServiceWrittenAdmin(admin.ModelAdmin):
    """For records only services write (they check the transition table, lock the row and write
    the event): the admin shows them and never adds, edits or deletes one."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
