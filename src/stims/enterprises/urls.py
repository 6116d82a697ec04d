from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import Startup, StartupFounder, StartupSupport, StEnterprise, StIncentive, StRevenueShare

app_name = "enterprises"

urlpatterns = [
    *model_urls(StEnterprise, "st-enterprises"),
    *model_urls(StRevenueShare, "revenue-shares"),
    *model_urls(StIncentive, "incentives"),
    *model_urls(Startup, "startups"),
    *model_urls(StartupFounder, "founders"),
    *model_urls(StartupSupport, "supports"),
    path(
        "st-enterprises/<int:pk>/revoke/", views.StEnterpriseRevokeView.as_view(), name="stenterprise_revoke"
    ),
    path(
        "st-enterprises/options/",
        views.EnterpriseOrganizationOptionsView.as_view(),
        name="enterprise_organization_options",
    ),
]
