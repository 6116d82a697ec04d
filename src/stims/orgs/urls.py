from django.urls import path

from stims.core.views import crud_urls

from . import views
from .models import LocalBody, LocalBodyMember, Organization, Person, Position

app_name = "orgs"


urlpatterns = [
    *crud_urls(Organization, views.organization_views, "organizations"),
    *crud_urls(Person, views.person_views, "people"),
    *crud_urls(LocalBody, views.localbody_views, "bodies"),
    *crud_urls(Position, views.position_views, "positions"),
    *crud_urls(LocalBodyMember, views.member_views, "body-members"),
    path("organizations/options/", views.OrganizationOptionsView.as_view(), name="organization_options"),
    path("people/options/", views.PersonOptionsView.as_view(), name="person_options"),
]
