from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "stims.councils"
    label = "councils"
    verbose_name = _("Advisory councils")

    def ready(self):
        from . import grants, guards, menu, panels, report_sections  # noqa: F401
