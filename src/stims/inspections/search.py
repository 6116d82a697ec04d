from stims.core.search import register

from .models import Establishment

Establishment.search_select_related = ("admin_unit", "sector")
register(Establishment, "inspections:establishment_detail")
