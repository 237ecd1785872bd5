from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duban.core.admin import ServiceWrittenAdmin
from duban.fleet.models import Booking, Driver, FleetRole, Quota, Settlement, Tariff, Vehicle


@admin.register(Vehicle)
class VehicleAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["plate", "pool", "vehicle_type", "seats", "holder", "status", "odometer_km"]
    list_filter = ["pool", "vehicle_type", "status"]
    search_fields = ["plate"]


@admin.register(Driver)
class DriverAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["person", "licence_class", "licence_valid_until", "is_available"]


@admin.register(FleetRole)
class FleetRoleAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["person", "role", "unit"]


@admin.register(Quota)
class QuotaAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["unit", "trips_per_month", "alert_percent"]


@admin.register(Tariff)
class TariffAdmin(SimpleHistoryAdmin, ServiceWrittenAdmin):
    list_display = ["vehicle_type", "per_km", "per_hour"]


@admin.register(Booking)
class BookingAdmin(ServiceWrittenAdmin):
    list_display = ["number", "unit", "state", "starts_at", "ends_at", "vehicle", "driver"]
    list_filter = ["state"]
    search_fields = ["number", "purpose", "destination"]


@admin.register(Settlement)
class SettlementAdmin(ServiceWrittenAdmin):
    list_display = ["unit", "month", "trips", "km", "amount"]
