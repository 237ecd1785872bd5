from django.urls import path

from duban.research import views

app_name = "research"

urlpatterns = [
    path("", views.home, name="home"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/propose/", views.topic_new, name="topic_new"),
    path("calls/<int:pk>/decide/", views.call_decide, name="call_decide"),
    path("calls/<int:pk>/<str:code>/", views.call_step, name="call_step"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/<str:what>/", views.project_act, name="project_act"),
    path("milestones/<int:pk>/deliver/", views.milestone_deliver, name="milestone_deliver"),
    path("instalments/<int:pk>/pay/", views.instalment_pay, name="instalment_pay"),
    path("panels/<int:pk>/", views.panel_detail, name="panel_detail"),
    path("panels/<int:pk>/publish/", views.panel_publish, name="panel_publish"),
    path("panels/<int:pk>/score/<int:entry>/", views.panel_score, name="panel_score"),
    path("bids/<int:pk>/file/", views.bid_file, name="bid_file"),
    path("money/", views.money_page, name="money"),
    path("results/", views.results, name="results"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("results/<int:pk>/file/", views.result_file, name="result_file"),
    path("results/<int:pk>/<str:what>/", views.result_act, name="result_act"),
]
