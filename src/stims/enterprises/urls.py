from django.urls import path

from stims.core.views import crud_urls

from . import views
from .models import Startup, StartupFounder, StartupSupport, StEnterprise, StIncentive, StRevenueShare

app_name = "enterprises"

urlpatterns = [
    *crud_urls(StEnterprise, views.stenterprise_views, "st-enterprises"),
    *crud_urls(StRevenueShare, views.revenue_views, "revenue-shares"),
    *crud_urls(StIncentive, views.incentive_views, "incentives"),
    *crud_urls(Startup, views.startup_views, "startups"),
    *crud_urls(StartupFounder, views.founder_views, "founders"),
    *crud_urls(StartupSupport, views.support_views, "supports"),
    path(
        "st-enterprises/<int:pk>/revoke/", views.StEnterpriseRevokeView.as_view(), name="stenterprise_revoke"
    ),
    path(
        "st-enterprises/options/",
        views.EnterpriseOrganizationOptionsView.as_view(),
        name="enterprise_organization_options",
    ),
]
