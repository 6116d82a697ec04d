from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data and the `stims demo` command, above every domain."""

    name = "stims.demo"
    label = "demo"
    verbose_name = _("Demo data")
