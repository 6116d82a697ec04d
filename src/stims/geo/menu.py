"""The Directory section of the navigation, which the directory's first page heads."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("directory", _("Directory"), 100)
register_item("directory", _("Administrative units"), "geo:adminunit_list", "geo.AdminUnit", 10)
