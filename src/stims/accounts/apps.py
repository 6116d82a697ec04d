from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stims.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from . import grants, menu, metrics  # noqa: F401
