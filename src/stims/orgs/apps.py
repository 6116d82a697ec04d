from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "stims.orgs"
    label = "orgs"
    verbose_name = _("Organizations and people")

    def ready(self):
        from . import grants, menu, panels, search  # noqa: F401
