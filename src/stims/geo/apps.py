from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "stims.geo"
    label = "geo"
    verbose_name = _("Administrative units")

    def ready(self):
        from . import grants, menu, search  # noqa: F401
