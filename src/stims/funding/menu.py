"""The funding pages in the S&T tasks section of the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item

register_item("sttasks", _("Budget by year"), "funding:budget_by_year", "funding.BudgetLine", 70)
register_item("sttasks", _("Allocations to localities"), "funding:allocation_list", "funding.Allocation", 80)
