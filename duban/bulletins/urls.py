from django.urls import path

from duban.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.bulletin_new, name="bulletin_new"),
    path("<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("<int:pk>/bulletin.docx", views.bulletin_download, name="bulletin_download"),
    path("<int:pk>/<str:code>/", views.bulletin_step, name="bulletin_step"),
]
