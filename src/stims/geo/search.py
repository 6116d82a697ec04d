from stims.core.forms import register_search_widget
from stims.core.search import register

from .models import AdminUnit

AdminUnit.search_select_related = ("parent", "province")
register(AdminUnit, "geo:adminunit_detail")

# Form fields choosing these records get a search box instead of a <select>.
register_search_widget("geo.adminunit", "geo:unit_options")
