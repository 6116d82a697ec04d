from stims.core.search import register

from .models import IpAsset

IpAsset.search_select_related = ("admin_unit",)
register(IpAsset, "ip:ipasset_detail")
