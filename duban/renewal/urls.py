from django.urls import path

from duban.renewal import settings_views, views

app_name = "renewal"

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/advance/", views.project_advance, name="project_advance"),
    path("projects/<int:pk>/households/", views.households_add, name="households_add"),
    path("projects/<int:pk>/signed/", views.households_sign, name="households_sign"),
    path("projects/<int:pk>/mediation/new/", views.case_new, name="case_new"),
    path("projects/<int:pk>/account/new/", views.account_new, name="account_new"),
    path("mediation/", views.cases, name="cases"),
    path("mediation/new/", views.case_start, name="case_start"),
    path("mediation/<int:pk>/", views.case_detail, name="case_detail"),
    path("mediation/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("mediation/<int:pk>/agreement/", views.agreement_save, name="agreement_save"),
    path("mediation/<int:pk>/follow-up/", views.followup_add, name="followup_add"),
    path("mediation/<int:pk>/notice.docx", views.case_notice, name="case_notice"),
    path("mediation/<int:pk>/agreement.docx", views.case_agreement, name="case_agreement"),
    path("mediation/<int:pk>/<str:code>/", views.case_step, name="case_step"),
    path("parties/<int:pk>/consent/", views.party_consent, name="party_consent"),
    path("session-documents/<int:pk>/", views.session_document, name="session_document"),
    path("funds/", views.funds, name="funds"),
    path("funds/releases/", views.releases, name="releases"),
    path("funds/<int:pk>/", views.account_detail, name="account_detail"),
    path("funds/<int:pk>/deposits/", views.deposit_add, name="deposit_add"),
    path("funds/<int:pk>/milestones/", views.reach_add, name="reach_add"),
    path("funds/<int:pk>/releases/", views.release_add, name="release_add"),
    path("releases/<int:pk>/<str:code>/", views.release_step, name="release_step"),
    path("milestones/<int:pk>/evidence/", views.reach_evidence, name="reach_evidence"),
    path("statistics/", views.statistics, name="statistics"),
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/posts/<int:pk>/remove/", settings_views.post_remove, name="post_remove"),
]
