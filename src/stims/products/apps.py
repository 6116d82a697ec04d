from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "stims.products"
    label = "products"
    verbose_name = _("Products (OCOP and key products)")

    def ready(self):
        from . import grants, menu, search  # noqa: F401
