"""Drafting's item in the Sessions and directives section (registered by meetings, which comes first)."""

from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core.context_processors import register_item


def may_draft(user) -> bool:
    """The drafting pages' own check (drafting.views.DraftPermissionMixin): who may add sessions."""
    from stims.meetings.models import WorkingSession

    return permissions.has_perm(user, permissions.ADD, WorkingSession)


register_item(
    "meetings", _("Draft a session from text"), "meetings:draft", "meetings.WorkingSession", 30, may_draft
)
