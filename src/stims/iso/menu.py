"""ISO 9001 in the navigation: a section of its own."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section


def may_import(user) -> bool:
    """The import page's own check (`import_views.require`): who may add ISO 9001 records."""
    from stims.core import permissions

    from .models import IsoRecord

    return permissions.has_perm(user, permissions.ADD, IsoRecord)


register_section("iso", _("ISO 9001 in agencies"), 500)
register_item("iso", _("Compliance by year"), "iso:compliance", "iso.IsoRecord", 10)
register_item("iso", _("Agencies' ISO 9001 records"), "iso:isorecord_list", "iso.IsoRecord", 20)
register_item("iso", _("Import ISO 9001 records from Excel"), "iso:import", "iso.IsoRecord", 30, may_import)
