from stims.core.search import register

from .models import Directive, WorkingSession

WorkingSession.search_select_related = ("admin_unit",)
Directive.search_select_related = ("lead_organization",)
register(WorkingSession, "meetings:workingsession_detail")
register(Directive, "meetings:directive_detail")
