from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "stims.results"
    label = "results"
    verbose_name = _("Results and their application")

    def ready(self):
        from . import grants, guards, menu, panels, report_sections  # noqa: F401
