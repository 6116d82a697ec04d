"""ISO 9001 in the navigation: under standards, metrology and quality (the section the inspections app
registers), so the top bar keeps to two rows at 1366 px."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item


def may_import(user) -> bool:
    """The import page's own check (`import_views.require`): who may add ISO 9001 records."""
    from stims.core import permissions

    from .models import IsoRecord

    return permissions.has_perm(user, permissions.ADD, IsoRecord)


register_item("inspections", _("ISO 9001 compliance by year"), "iso:compliance", "iso.IsoRecord", 110)
register_item("inspections", _("Agencies' ISO 9001 records"), "iso:isorecord_list", "iso.IsoRecord", 120)
register_item(
    "inspections", _("Import ISO 9001 records from Excel"), "iso:import", "iso.IsoRecord", 130, may_import
)
