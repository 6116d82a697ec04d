from stims.core.search import register

from .models import CouncilRound, Initiative

Initiative.search_select_related = ("agency",)
register(Initiative, "initiatives:initiative_detail")
register(CouncilRound, "initiatives:councilround_detail")
