from django.urls import path

from duban.portal import landing, policies, problems, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", landing.landing, name="landing"),
    path("participate/reforms/", views.reforms, name="reforms"),
    path("participate/ratings/<int:pk>/", views.rating_round, name="rating_round"),
    path("participate/votes/<int:pk>/", views.vote_round, name="vote_round"),
    path("participate/evaluations/<int:pk>/", views.panel_results, name="panel_results"),
    path("participate/cases/", views.cases, name="cases"),
    path("policies/", policies.policies, name="policies"),
    path("policies/<int:pk>/", policies.policy_detail, name="policy_detail"),
    path("policies/receipt/<str:token>/", policies.policy_receipt, name="policy_receipt"),
    path("participate/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("participate/calls/", views.calls, name="calls"),
    path("participate/calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("participate/problems/", problems.problems, name="problems"),
    path("participate/problems/points.json", problems.problem_points, name="problem_points"),
    path("participate/problems/new/", problems.problem_new, name="problem_new"),
    path("participate/problems/nearby/", problems.problem_nearby, name="problem_nearby"),
    path("participate/problems/place.json", problems.problem_place, name="problem_place"),
    path("participate/problems/mine/", problems.my_problems, name="my_problems"),
    path("participate/problems/statistics/", problems.problem_stats, name="problem_stats"),
    path("participate/problems/statistics.xlsx", problems.problem_stats_xlsx, name="problem_stats_xlsx"),
    path("participate/problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("participate/problems/<int:pk>/act/", problems.problem_act, name="problem_act"),
    path("participate/problems/<int:pk>/photos/<int:photo_pk>/", problems.problem_photo, name="problem_photo"),
]
