from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import IpAsset, IpAuthorizedUser

app_name = "ip"

urlpatterns = [
    *model_urls(IpAsset, "assets"),
    *model_urls(IpAuthorizedUser, "authorized-users"),
    path("assets/<int:pk>/status/", views.StatusChangeView.as_view(), name="ipasset_status"),
    path("assets/<int:pk>/renew/", views.RenewalView.as_view(), name="ipasset_renew"),
    path("assets/options/", views.IpAssetOptionsView.as_view(), name="ipasset_options"),
]
