"""The innovation index in the navigation: under plans and programmes (the section the programmes app
registers; the index is one of the department's yearly programmes), so the top bar keeps to two rows."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item("programmes", _("Index results"), "innovation:results", "innovation.Framework", 110)
register_item("programmes", _("Index frameworks"), "innovation:framework_list", "innovation.Framework", 120)
register_item(
    "programmes", _("Indicator values"), "innovation:indicatorvalue_list", "innovation.IndicatorValue", 130
)


def may_import(user) -> bool:
    """The import page's own check (import_views.require_import): a user who may add values."""
    from stims.core import permissions

    from .models import IndicatorValue

    return permissions.has_perm(user, permissions.ADD, IndicatorValue)


register_item(
    "programmes",
    _("Import indicator values from Excel"),
    "innovation:import",
    "innovation.IndicatorValue",
    140,
    allowed=may_import,
)
