from django.urls import path

from stims.core.views import crud_urls

from . import views
from .models import Target

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    *crud_urls(Target, views.target_views, "targets"),
]
