from django.urls import path

from duban.orgs import pickers, views

app_name = "orgs"

urlpatterns = [
    path("", views.unit_tree, name="unit_tree"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("units/<int:pk>/retire/", views.unit_retire, name="unit_retire"),
    path("units/<int:pk>/restore/", views.unit_restore, name="unit_restore"),
    path("units/<int:pk>/history/", views.unit_history, name="unit_history"),
    path("units/<int:pk>/positions/new/", views.position_add, name="position_add"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/search/", pickers.person_search, name="person_search"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/retire/", views.person_retire, name="person_retire"),
    path("people/<int:pk>/restore/", views.person_restore, name="person_restore"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path("leaders/", views.portfolio_list, name="portfolio_list"),
    path("leaders/new/", views.portfolio_edit, name="portfolio_create"),
    path("leaders/<int:pk>/edit/", views.portfolio_edit, name="portfolio_edit"),
    path("leaders/<int:pk>/end/", views.portfolio_end, name="portfolio_end"),
    path("leaders/<int:pk>/history/", views.portfolio_history, name="portfolio_history"),
]
