"""Navigation for the base layout: the domains, each shown only to users who may see it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    from stims.geo.models import AdminUnit
    from stims.orgs.models import LocalBody, Organization, Person

    items = [
        (_("Administrative units"), "geo:adminunit_list", AdminUnit),
        (_("Organizations"), "orgs:organization_list", Organization),
        (_("People"), "orgs:person_list", Person),
        (_("S&T bodies"), "orgs:localbody_list", LocalBody),
    ]
    section = [
        {"label": label, "url": reverse(url_name), "active": request.path.startswith(reverse(url_name))}
        for label, url_name, model in items
        if permissions.has_perm(user, permissions.VIEW, model)
    ]
    return {"nav_sections": [{"label": _("Directory"), "items": section}] if section else []}
