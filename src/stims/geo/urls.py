from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import AdminUnit

app_name = "geo"
urlpatterns = [
    *model_urls(AdminUnit, ""),  # list and detail only: units come from the official packages
    path("options/", views.AdminUnitOptionsView.as_view(), name="unit_options"),
]
