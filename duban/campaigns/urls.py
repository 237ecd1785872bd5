from django.urls import path

from duban.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/reports/", views.report_queue, name="report_queue"),
    path("<int:campaign_pk>/categories/new/", views.category_edit, name="category_new"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("<int:campaign_pk>/zones/new/", views.zone_edit, name="zone_new"),
    path("zones/<int:pk>/", views.zone_edit, name="zone_edit"),
    path("<int:campaign_pk>/chiefs/new/", views.chief_edit, name="chief_new"),
    path("chiefs/<int:pk>/", views.chief_edit, name="chief_edit"),
    path("<int:campaign_pk>/rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("inspect/", views.inspect, name="inspect"),
    path("areas/", views.areas, name="areas"),
    path("areas/<int:unit_pk>/", views.area_edit, name="area_edit"),
    path("open311/", views.clients, name="clients"),
    path("open311/<int:pk>/toggle/", views.client_toggle, name="client_toggle"),
]
