from django.urls import path

from duban.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("new/", views.rule_new, name="rule_new"),
    path("<int:pk>/", views.rule_detail, name="rule_detail"),
    path("versions/<int:pk>/document/", views.version_file, name="version_file"),
    path("<int:pk>/outreach/new/", views.outreach_new, name="outreach_new"),
    path("outreach/<int:pk>/links.xlsx", views.outreach_links, name="outreach_links"),
    path("categories/new/", views.category_new, name="category_new"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("build/", views.build_from, name="build_from"),
    path("summary/", views.summary, name="summary"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("compilations/", views.compilation_list, name="compilation_list"),
    path("compilations/new/", views.compilation_new, name="compilation_new"),
    path("compilations/<int:pk>/", views.compilation_detail, name="compilation_detail"),
    path("compilations/<int:pk>/issue/", views.compilation_issue, name="compilation_issue"),
    path("compilations/<int:pk>/<str:kind>/", views.compilation_download, name="compilation_download"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/<str:code>/", views.action_step, name="action_step"),
]
