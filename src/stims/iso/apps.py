from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IsoConfig(AppConfig):
    name = "stims.iso"
    label = "iso"
    verbose_name = _("ISO 9001 in state agencies")

    def ready(self):
        from . import grants, menu, rules, search  # noqa: F401
