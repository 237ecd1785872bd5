from django.urls import path

from duban.reforms import views

app_name = "reforms"

urlpatterns = [
    path("", views.reform_list, name="reform_list"),
    path("new/", views.reform_edit, name="reform_new"),
    path("<int:pk>/", views.reform_detail, name="reform_detail"),
    path("<int:pk>/edit/", views.reform_edit, name="reform_edit"),
    path("<int:pk>/decompose/", views.reform_decompose, name="reform_decompose"),
    path("<int:pk>/adjustments/", views.adjustment_new, name="adjustment_new"),
    path("plans/<int:year>/", views.plan_detail, name="plan_detail"),
    path("summary/", views.summary, name="summary"),
    path("tolerance/", views.tolerance_list, name="tolerance_list"),
    path("tolerance/new/", views.tolerance_new, name="tolerance_new"),
    path("tolerance/<int:pk>/", views.tolerance_detail, name="tolerance_detail"),
    path("tolerance/<int:pk>/notice.docx", views.tolerance_notice, name="tolerance_notice"),
    path("appraisals/<int:year>/", views.appraisal_detail, name="appraisal_detail"),
    path("<int:pk>/lookbacks/", views.lookback_new, name="lookback_new"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_edit, name="case_new"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/new/<str:kind>/", views.evaluation_new, name="evaluation_new"),
    path("evaluation/ratings/<int:pk>/", views.rating_round, name="rating_round"),
    path("evaluation/votes/<int:pk>/", views.vote_round, name="vote_round"),
    path("evaluation/panels/<int:pk>/", views.panel_detail, name="panel_detail"),
    path("evaluation/panels/<int:pk>/score/", views.panel_score, name="panel_score"),
    path("evaluation/mine/", views.my_panels, name="my_panels"),
    path("adjustments/<int:pk>/decide/", views.adjustment_decide, name="adjustment_decide"),
]
