from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "stims.enterprises"
    label = "enterprises"
    verbose_name = _("S&T enterprises and startups")

    def ready(self):
        from . import grants, menu, rules, search, signals  # noqa: F401
