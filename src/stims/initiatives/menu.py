"""Initiatives in the navigation: a section of their own."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section


def may_import(user) -> bool:
    """The import page's own check (`import_views.require`): who may add initiatives."""
    from stims.core import permissions

    from .models import Initiative

    return permissions.has_perm(user, permissions.ADD, Initiative)


register_section("initiatives", _("Initiatives"), 510)
register_item("initiatives", _("Initiatives"), "initiatives:initiative_list", "initiatives.Initiative", 10)
register_item(
    "initiatives", _("Council rounds"), "initiatives:councilround_list", "initiatives.CouncilRound", 20
)
register_item(
    "initiatives", _("Recognised by agency and year"), "initiatives:report", "initiatives.Initiative", 30
)
register_item(
    "initiatives",
    _("Import initiatives from Excel"),
    "initiatives:import",
    "initiatives.Initiative",
    40,
    may_import,
)
