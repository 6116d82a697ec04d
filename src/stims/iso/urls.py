from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import IsoActivity, IsoCheck, IsoRecord

app_name = "iso"

urlpatterns = [
    path("", views.ComplianceView.as_view(), name="compliance"),
    *model_urls(IsoRecord, "records"),
    *model_urls(IsoActivity, "activities"),
    *model_urls(IsoCheck, "checks"),
]
