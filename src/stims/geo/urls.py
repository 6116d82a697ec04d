from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("", views.AdminUnitListView.as_view(), name="adminunit_list"),
    path("<int:pk>/", views.AdminUnitDetailView.as_view(), name="adminunit_detail"),
    path("options/", views.AdminUnitOptionsView.as_view(), name="unit_options"),
]
