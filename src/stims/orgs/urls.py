from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import LocalBody, LocalBodyMember, Organization, Person, Position

app_name = "orgs"


urlpatterns = [
    *model_urls(Organization, "organizations"),
    *model_urls(Person, "people"),
    *model_urls(LocalBody, "bodies"),
    *model_urls(Position, "positions"),
    *model_urls(LocalBodyMember, "body-members"),
    path("organizations/options/", views.OrganizationOptionsView.as_view(), name="organization_options"),
    path("people/options/", views.PersonOptionsView.as_view(), name="person_options"),
]
