from django.urls import path

from duban.downloads import views

app_name = "downloads"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("<int:pk>/", views.export_detail, name="detail"),
    path("<int:pk>/file", views.export_file, name="file"),
]
