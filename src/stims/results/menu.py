"""The results pages in the S&T tasks section of the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item("sttasks", _("Results"), "results:taskresult_list", "results.TaskResult", 90)
register_item(
    "sttasks", _("Application and replication"), "results:replication", "results.ApplicationReport", 100
)
