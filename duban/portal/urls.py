from django.urls import path

from duban.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("participate/reforms/", views.reforms, name="reforms"),
    path("participate/ratings/<int:pk>/", views.rating_round, name="rating_round"),
    path("participate/votes/<int:pk>/", views.vote_round, name="vote_round"),
    path("participate/evaluations/<int:pk>/", views.panel_results, name="panel_results"),
    path("participate/cases/", views.cases, name="cases"),
    path("participate/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("participate/calls/", views.calls, name="calls"),
    path("participate/calls/<int:pk>/", views.call_detail, name="call_detail"),
]
