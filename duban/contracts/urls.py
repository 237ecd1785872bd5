from django.urls import path

from duban.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.contract_new, name="contract_new"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/ratings/", views.rating_add, name="rating_add"),
    path("<int:pk>/settle/", views.contract_settle, name="contract_settle"),
    path("<int:pk>/terms.docx", views.terms, name="terms"),
    path("<int:pk>/statement/", views.statement, name="statement"),
    path("nodes/<int:pk>/", views.node_record, name="node_record"),
    path("ratings/<int:pk>/approve/", views.rating_approve, name="rating_approve"),
    path("ratings/<int:pk>/answer/", views.rating_answer, name="rating_answer"),
    path("templates/", views.templates, name="templates"),
    path("templates/new/", views.template_new, name="template_new"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/<str:code>/", views.version_step, name="version_step"),
    path("analysis/", views.analysis, name="analysis"),
    path("analysis/new/", views.analysed_add, name="analysed_add"),
    path("analysis/import/", views.analysis_import, name="analysis_import"),
    path("contractors/<int:pk>/", views.contractor_detail, name="contractor_detail"),
]
