from stims.core.search import register

from .models import Startup, StEnterprise

StEnterprise.search_select_related = ("organization",)
register(StEnterprise, "enterprises:stenterprise_detail")
register(Startup, "enterprises:startup_detail")
