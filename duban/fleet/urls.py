from django.urls import path

from duban.fleet import settings_views, views

app_name = "fleet"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.booking_new, name="booking_new"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/rate/", views.booking_rate, name="booking_rate"),
    path("bookings/<int:pk>/<str:code>/", views.booking_step, name="booking_step"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
    path("board/", views.board, name="board"),
    path("driver/", views.driver, name="driver"),
    path("utilisation/", views.utilisation, name="utilisation"),
    path("settlements/", views.settlement_list, name="settlement_list"),
    path("settlements/<int:pk>.xlsx", views.settlement_download, name="settlement_download"),
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/<str:kind>/new/", settings_views.setting_edit, name="setting_new"),
    path("settings/<str:kind>/<int:pk>/", settings_views.setting_edit, name="setting_edit"),
    path("settings/roles/<int:pk>/remove/", settings_views.role_remove, name="role_remove"),
    path("cars/", views.vehicle_list, name="vehicle_list"),
    path("cars/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("cars/<int:pk>/<str:code>/", views.vehicle_step, name="vehicle_step"),
]
