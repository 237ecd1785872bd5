from django.urls import path

from duban.reforms.views import evaluation, outcomes, plans, reforms, tolerance

app_name = "reforms"

urlpatterns = [
    path("", reforms.reform_list, name="reform_list"),
    path("new/", reforms.reform_edit, name="reform_new"),
    path("<int:pk>/", reforms.reform_detail, name="reform_detail"),
    path("<int:pk>/edit/", reforms.reform_edit, name="reform_edit"),
    path("<int:pk>/decompose/", reforms.reform_decompose, name="reform_decompose"),
    path("<int:pk>/adjustments/", reforms.adjustment_new, name="adjustment_new"),
    path("plans/<int:year>/", plans.plan_detail, name="plan_detail"),
    path("summary/", outcomes.summary, name="summary"),
    path("tolerance/", tolerance.tolerance_list, name="tolerance_list"),
    path("tolerance/new/", tolerance.tolerance_new, name="tolerance_new"),
    path("tolerance/<int:pk>/", tolerance.tolerance_detail, name="tolerance_detail"),
    path("tolerance/<int:pk>/notice.docx", tolerance.tolerance_notice, name="tolerance_notice"),
    path("appraisals/<int:year>/", outcomes.appraisal_detail, name="appraisal_detail"),
    path("<int:pk>/lookbacks/", reforms.lookback_new, name="lookback_new"),
    path("cases/", outcomes.case_list, name="case_list"),
    path("cases/new/", outcomes.case_edit, name="case_new"),
    path("cases/<int:pk>/edit/", outcomes.case_edit, name="case_edit"),
    path("calls/", plans.call_list, name="call_list"),
    path("calls/new/", plans.call_new, name="call_new"),
    path("calls/<int:pk>/", plans.call_detail, name="call_detail"),
    path("proposals/<int:pk>/answer/", plans.proposal_answer, name="proposal_answer"),
    path("evaluation/", evaluation.evaluation, name="evaluation"),
    path("evaluation/new/<str:kind>/", evaluation.evaluation_new, name="evaluation_new"),
    path("evaluation/ratings/<int:pk>/", evaluation.rating_round, name="rating_round"),
    path("evaluation/votes/<int:pk>/", evaluation.vote_round, name="vote_round"),
    path("evaluation/panels/<int:pk>/", evaluation.panel_detail, name="panel_detail"),
    path("evaluation/panels/<int:pk>/score/", evaluation.panel_score, name="panel_score"),
    path("evaluation/mine/", evaluation.my_panels, name="my_panels"),
    path("adjustments/<int:pk>/decide/", reforms.adjustment_decide, name="adjustment_decide"),
]
