"""The Sessions and directives section of the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("meetings", _("Sessions and directives"), 400)
register_item("meetings", _("Directives dashboard"), "meetings:dashboard", "meetings.Directive", 10)
register_item(
    "meetings", _("Working sessions"), "meetings:workingsession_list", "meetings.WorkingSession", 20
)
register_item("meetings", _("Directives"), "meetings:directive_list", "meetings.Directive", 40)
register_item(
    "meetings", _("Locality requests"), "meetings:localityrequest_list", "meetings.LocalityRequest", 50
)
register_item("meetings", _("Deadline calendar"), "meetings:deadline_calendar", "meetings.Directive", 60)
register_item(
    "meetings", _("Leaders' work calendar"), "meetings:work_calendar", "meetings.WorkingSession", 70
)
