from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SttasksConfig(AppConfig):
    name = "stims.sttasks"
    label = "sttasks"
    verbose_name = _("S&T tasks")

    def ready(self):
        from . import grants, menu, proposals, report_sections, rules, search  # noqa: F401
