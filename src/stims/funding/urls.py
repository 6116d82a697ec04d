from django.urls import path

from stims.core.views import crud_urls

from . import views
from .models import Allocation, AllocationSpending, BudgetLine, Disbursement, Settlement, Tranche

app_name = "funding"

urlpatterns = [
    # A task's money is edited from the task page (links pass ?task=<pk>).
    *crud_urls(BudgetLine, views.budgetline_views, "budget-lines"),
    *crud_urls(Tranche, views.tranche_views, "tranches"),
    *crud_urls(Disbursement, views.disbursement_views, "disbursements"),
    *crud_urls(Settlement, views.settlement_views, "settlements"),
    path("budget-by-year/", views.BudgetByYearView.as_view(), name="budget_by_year"),
    *crud_urls(Allocation, views.allocation_views, "allocations"),
    # Spendings are edited from their allocation's page (links pass ?allocation=<pk>).
    *crud_urls(AllocationSpending, views.spending_views, "spendings"),
]
