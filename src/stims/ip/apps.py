from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpConfig(AppConfig):
    name = "stims.ip"
    label = "ip"
    verbose_name = _("Intellectual property")

    def ready(self):
        from . import grants, menu, rules, search  # noqa: F401
