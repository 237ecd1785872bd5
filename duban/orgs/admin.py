from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from duban.core.admin import ServiceWrittenAdmin
from duban.orgs.models import Domain, LeaderPortfolio, Person, Position, Unit, UnitAlias, User


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
class UnitAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    """Read-mostly: units change through the organisation pages, which enforce the tree rules."""

    list_display = ["name", "kind", "code", "parent", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "code"]


@admin.register(UnitAlias)
class UnitAliasAdmin(ServiceWrittenAdmin):
    """Added on the import page (`unit_alias_add`); listed here to find and remove a wrong one."""

    list_display = ["name", "unit", "created_by", "created_at"]
    search_fields = ["name", "unit__name"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["name", "state", "user"]
    search_fields = ["name"]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["unit", "person", "role", "title", "started_on", "ended_on"]
    list_filter = ["role"]


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
