from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "stims.meetings"
    label = "meetings"
    verbose_name = _("Working sessions and directives")

    def ready(self):
        from . import grants, menu, report_sections, search  # noqa: F401
