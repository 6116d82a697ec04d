"""The enterprise registries in the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item(
    "registries", _("S&T enterprises"), "enterprises:stenterprise_list", "enterprises.StEnterprise", 40
)
register_item("registries", _("Startups"), "enterprises:startup_list", "enterprises.Startup", 50)
