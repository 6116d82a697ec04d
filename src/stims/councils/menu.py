"""The council pages in the S&T tasks section of the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item("sttasks", _("Councils"), "councils:council_list", "councils.Council", 50)
register_item("sttasks", _("Criteria sets"), "councils:criteriaset_list", "councils.CriteriaSet", 60)
