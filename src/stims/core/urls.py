from django.urls import path

from . import site_views

urlpatterns = [
    path("", site_views.HomeView.as_view(), name="home"),
    path("search/", site_views.SearchView.as_view(), name="search"),
    path("healthz", site_views.health, name="health"),
]
