from django.urls import path

from . import site_views

urlpatterns = [
    path("search/", site_views.SearchView.as_view(), name="search"),
    path("healthz", site_views.health, name="health"),
]
