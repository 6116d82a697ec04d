"""The Registries section of the navigation (products are its first registry) and the products page."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("registries", _("Registries"), 200)
register_item("registries", _("Products"), "products:product_list", "products.Product", 20)
