"""The directory's pages in the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item("directory", _("Organizations"), "orgs:organization_list", "orgs.Organization", 20)
register_item("directory", _("People"), "orgs:person_list", "orgs.Person", 30)
register_item("directory", _("Local S&T bodies"), "orgs:localbody_list", "orgs.LocalBody", 40)
