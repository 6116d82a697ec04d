from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "stims.registries"
    label = "registries"
    verbose_name = _("Registry dashboard and targets")

    def ready(self):
        from . import grants, menu, report_sections  # noqa: F401
