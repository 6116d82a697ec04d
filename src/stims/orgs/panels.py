"""This app's sections of a unit's page (see `stims.geo.panels`): the local S&T bodies and the
organizations of the unit and of the units directly under it (a district's communes)."""

from django.db.models import Q

from stims.core import permissions
from stims.geo.panels import UnitSection, register

from .models import LocalBody, Organization


def _here(unit) -> Q:
    return Q(admin_unit=unit) | Q(admin_unit__parent=unit)


def bodies_context(unit, user) -> dict:
    return {
        "bodies": permissions.restrict(LocalBody.objects.filter(_here(unit)), user).select_related(
            "admin_unit"
        )
    }


def organizations_context(unit, user) -> dict:
    return {
        "organizations": permissions.restrict(Organization.objects.filter(_here(unit)), user).select_related(
            "admin_unit"
        )[:100]
    }


register(UnitSection("bodies", "orgs/_unit_bodies.html", bodies_context, order=10))
register(UnitSection("organizations", "orgs/_unit_organizations.html", organizations_context, order=20))
