"""Drafting's item in the Sessions and directives section (registered by meetings, which comes first)."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item("meetings", _("Draft a session from text"), "meetings:draft", "meetings.WorkingSession", 30)
