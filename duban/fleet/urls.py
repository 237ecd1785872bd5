from django.urls import path

from duban.fleet import views

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
    path("cars/", views.vehicle_list, name="vehicle_list"),
    path("cars/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("cars/<int:pk>/<str:code>/", views.vehicle_step, name="vehicle_step"),
]
