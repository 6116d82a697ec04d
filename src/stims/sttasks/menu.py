"""The S&T tasks section of the navigation and the task pages (councils, funding and results add theirs)."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("sttasks", _("S&T tasks"), 300)
register_item("sttasks", _("Leader's summary"), "sttasks:summary", "sttasks.Task", 10)
register_item("sttasks", _("Tasks"), "sttasks:task_list", "sttasks.Task", 20)
register_item("sttasks", _("Overdue"), "sttasks:overdue", "sttasks.Task", 30)
register_item("sttasks", _("My actions"), "sttasks:my_actions", "sttasks.Task", 40)
register_item("sttasks", _("Calls for proposals"), "sttasks:call_list", "sttasks.Call", 45)


def may_import(user) -> bool:
    """The task import's own check (import_views.require_import)."""
    from django.core.exceptions import PermissionDenied

    from .import_views import require_import

    try:
        require_import(user)
    except PermissionDenied:
        return False
    return True


register_item("sttasks", _("Import tasks from Excel"), "sttasks:import", "sttasks.Task", 110, may_import)
register_item("sttasks", _("Workflow"), "sttasks:workflow", "sttasks.Task", 120)
