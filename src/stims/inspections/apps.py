from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "stims.inspections"
    label = "inspections"
    verbose_name = _("Standards, metrology and quality inspections")

    def ready(self):
        from . import grants, menu, report_sections, rules, search  # noqa: F401
