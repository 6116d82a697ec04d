from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "stims.innovation"
    label = "innovation"
    verbose_name = _("Local innovation index")

    def ready(self):
        from . import grants, menu, search  # noqa: F401
