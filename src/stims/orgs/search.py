from stims.core.forms import register_search_widget
from stims.core.search import register

from .models import LocalBody, Organization, Person

Organization.search_select_related = ("admin_unit",)
LocalBody.search_select_related = ("admin_unit",)
register(Organization, "orgs:organization_detail")
register(Person, "orgs:person_detail")
register(LocalBody, "orgs:localbody_detail")

# Form fields choosing these records get a search box instead of a <select>.
register_search_widget("orgs.organization", "orgs:organization_options")
register_search_widget("orgs.person", "orgs:person_options")
