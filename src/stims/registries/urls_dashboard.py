from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import Target

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    *model_urls(Target, "targets"),
]
