from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "stims.programmes"
    label = "programmes"
    verbose_name = _("Plans and programmes")

    def ready(self):
        from . import grants, imports, menu, rules, search  # noqa: F401
