from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "stims.funding"
    label = "funding"
    verbose_name = _("S&T funding")

    def ready(self):
        from . import grants, guards, menu, panels, report_sections  # noqa: F401
