from django.urls import path

from duban.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/", views.dataset_detail, name="dataset_detail"),
    path("<slug:slug>.<str:fmt>", views.dataset_download, name="dataset_download"),
]
