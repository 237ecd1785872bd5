from django.urls import path

from duban.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("participate/calls/", views.calls, name="calls"),
    path("participate/calls/<int:pk>/", views.call_detail, name="call_detail"),
]
