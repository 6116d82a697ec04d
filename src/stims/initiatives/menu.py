"""Initiatives in the navigation: a section of their own."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("initiatives", _("Initiatives"), 510)
register_item("initiatives", _("Initiatives"), "initiatives:initiative_list", "initiatives.Initiative", 10)
register_item(
    "initiatives", _("Council rounds"), "initiatives:councilround_list", "initiatives.CouncilRound", 20
)
register_item(
    "initiatives", _("Recognised by agency and year"), "initiatives:report", "initiatives.Initiative", 30
)
