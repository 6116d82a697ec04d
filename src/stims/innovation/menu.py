"""The innovation index in the navigation: a section of its own."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("innovation", _("Innovation index"), 520)
register_item("innovation", _("Index results"), "innovation:results", "innovation.Framework", 10)
register_item("innovation", _("Index frameworks"), "innovation:framework_list", "innovation.Framework", 20)
register_item(
    "innovation", _("Indicator values"), "innovation:indicatorvalue_list", "innovation.IndicatorValue", 30
)


def may_import(user) -> bool:
    """The import page's own check (import_views.require_import): a user who may add values."""
    from stims.core import permissions

    from .models import IndicatorValue

    return permissions.has_perm(user, permissions.ADD, IndicatorValue)


register_item(
    "innovation",
    _("Import indicator values from Excel"),
    "innovation:import",
    "innovation.IndicatorValue",
    40,
    allowed=may_import,
)
