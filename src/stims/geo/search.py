from stims.core.search import register

from .models import AdminUnit

AdminUnit.search_select_related = ("parent", "province")
register(AdminUnit, "geo:adminunit_detail")
