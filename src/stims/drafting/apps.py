from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftingConfig(AppConfig):
    name = "stims.drafting"
    label = "drafting"
    verbose_name = _("Drafting sessions from text")

    def ready(self):
        from . import menu  # noqa: F401
