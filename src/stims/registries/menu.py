"""The cross-registry pages in the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item("registries", _("Registry dashboard"), "registries:dashboard", "products.Product", 10)
register_item("registries", _("Targets"), "registries:target_list", "registries.Target", 60)


def may_import(user) -> bool:
    """The import page's own check (RegistryImportView.check_upload): a registry the user may add to."""
    from .import_views import importable_kinds

    return bool(importable_kinds(user))


register_item("registries", _("Import from Excel"), "registries:import", "products.Product", 70, may_import)
