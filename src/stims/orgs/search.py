from stims.core.search import register

from .models import LocalBody, Organization, Person

Organization.search_select_related = ("admin_unit",)
LocalBody.search_select_related = ("admin_unit",)
register(Organization, "orgs:organization_detail")
register(Person, "orgs:person_detail")
register(LocalBody, "orgs:localbody_detail")
