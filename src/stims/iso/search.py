from stims.core.search import register

from .models import IsoRecord

IsoRecord.search_select_related = ("agency",)
register(IsoRecord, "iso:isorecord_detail")
