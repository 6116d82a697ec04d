from django.urls import path

from stims.core.views import crud_urls

from . import views
from .models import IpAsset, IpAuthorizedUser

app_name = "ip"

urlpatterns = [
    *crud_urls(IpAsset, views.ipasset_views, "assets"),
    *crud_urls(IpAuthorizedUser, views.authorizeduser_views, "authorized-users"),
    path("assets/<int:pk>/status/", views.StatusChangeView.as_view(), name="ipasset_status"),
    path("assets/<int:pk>/renew/", views.RenewalView.as_view(), name="ipasset_renew"),
    path("assets/options/", views.IpAssetOptionsView.as_view(), name="ipasset_options"),
]
