from django.urls import path

from duban.payments import settings_views, views

app_name = "payments"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/documents/", views.documents_add, name="documents_add"),
    path("requests/<int:pk>/notice.docx", views.notice, name="notice"),
    path("requests/<int:pk>/<str:code>/", views.request_step, name="request_step"),
    path("missing/<int:pk>/<str:code>/", views.gap_step, name="gap_step"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("statistics/", views.statistics, name="statistics"),
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/checklist/", settings_views.checklist_load, name="checklist_load"),
    path("settings/suspensions/<int:pk>/lift/", settings_views.suspension_lift, name="suspension_lift"),
    path("settings/<str:kind>/", settings_views.setting_save, name="setting_save"),
    path("settings/<str:kind>/<int:pk>/remove/", settings_views.setting_remove, name="setting_remove"),
]
