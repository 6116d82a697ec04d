from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "stims.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import fulltext
        from .aggregates import install_after_migrate

        # The full-text index of every searchable model, after each migrate (core.fulltext).
        post_migrate.connect(fulltext.ensure_after_migrate, sender=self, dispatch_uid="stims.core.fulltext")
        # The data-version triggers of the cached dashboard aggregates, on every table (core.aggregates).
        post_migrate.connect(install_after_migrate, dispatch_uid="stims.core.aggregates")
