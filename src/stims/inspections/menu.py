"""The Standards, metrology and quality section of the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("inspections", _("Standards, metrology and quality"), 450)
register_item("inspections", _("Quality dashboard"), "inspections:dashboard", "inspections.Inspection", 10)
register_item(
    "inspections", _("Establishments"), "inspections:establishment_list", "inspections.Establishment", 20
)
register_item(
    "inspections", _("Inspection plans"), "inspections:inspectionplan_list", "inspections.InspectionPlan", 30
)
register_item("inspections", _("Inspections"), "inspections:inspection_list", "inspections.Inspection", 40)
register_item("inspections", _("Violations"), "inspections:violation_list", "inspections.Violation", 50)
register_item(
    "inspections",
    _("Measuring instruments"),
    "inspections:measuringinstrument_list",
    "inspections.MeasuringInstrument",
    60,
)
register_item(
    "inspections",
    _("Radiation licences"),
    "inspections:radiationlicence_list",
    "inspections.RadiationLicence",
    70,
)


def may_import(user) -> bool:
    """The import page's own check (`import_views.require`): who may add establishments."""
    from stims.core import permissions

    from .models import Establishment

    return permissions.has_perm(user, permissions.ADD, Establishment)


register_item(
    "inspections",
    _("Import establishments from Excel"),
    "inspections:import",
    "inspections.Establishment",
    25,
    may_import,
)
