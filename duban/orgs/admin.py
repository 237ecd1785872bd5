from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from duban.orgs.models import Domain, LeaderPortfolio, Person, Position, Unit, User


@admin.register(User)
class DubanUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = [
        "username",
        "display_name",
        "account_type",
        "is_office_admin",
        "is_supervisor",
        "is_active",
    ]
    list_filter = ["account_type", "is_office_admin", "is_supervisor", "is_expert", "is_active"]
    search_fields = ["username", "display_name", "email", "phone"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            "Duban",
            {
                "fields": [
                    "display_name",
                    "account_type",
                    "phone",
                    "is_office_admin",
                    "is_supervisor",
                    "is_expert",
                ]
            },
        ),
    ]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    """Read-mostly: units change through the organisation pages, which enforce the tree rules."""

    list_display = ["name", "kind", "code", "parent", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "code"]
    readonly_fields = [f.name for f in Unit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "state", "user"]
    search_fields = ["name"]
    readonly_fields = [f.name for f in Person._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "person", "role", "title", "started_on", "ended_on"]
    list_filter = ["role"]
    readonly_fields = [f.name for f in Position._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LeaderPortfolio)
class LeaderPortfolioAdmin(SimpleHistoryAdmin):
    list_display = ["leader", "title", "rank", "ended_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
