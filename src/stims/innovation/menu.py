"""The innovation index in the navigation: a section of its own."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("innovation", _("Innovation index"), 520)
register_item("innovation", _("Index results"), "innovation:results", "innovation.Framework", 10)
register_item("innovation", _("Index frameworks"), "innovation:framework_list", "innovation.Framework", 20)
register_item(
    "innovation", _("Indicator values"), "innovation:indicatorvalue_list", "innovation.IndicatorValue", 30
)
