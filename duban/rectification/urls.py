from django.urls import path

from duban.rectification import views

app_name = "rectification"

urlpatterns = [
    path("", views.audit_year, name="audit_year"),
    path("audits/<int:year>/", views.audit_year, name="audit_year_of"),
    path("audits/<int:year>/midyear/", views.midyear, name="midyear"),
    path("audits/<int:year>/yearend/", views.yearend, name="yearend"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("findings/<int:pk>/open/", views.finding_open, name="finding_open"),
    path("findings/<int:pk>/result/", views.finding_result, name="finding_result"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/new/", views.coverage_new, name="coverage_new"),
    path("coverage/<int:pk>/", views.coverage, name="coverage_plan"),
]
