from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "stims.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from . import grants, menu, rules, search  # noqa: F401
