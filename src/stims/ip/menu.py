"""The IP assets page in the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item("registries", _("IP assets"), "ip:ipasset_list", "ip.IpAsset", 30)
