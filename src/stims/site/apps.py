from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """Pages that gather several apps (the home page), above every domain."""

    name = "stims.site"
    label = "site"
    verbose_name = _("Home")  # it holds the home page; the message is translated already

    def ready(self):
        from . import notifications

        notifications.connect()
