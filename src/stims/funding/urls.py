from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import Allocation, AllocationSpending, BudgetLine, Disbursement, Settlement, Tranche

app_name = "funding"

urlpatterns = [
    # A task's money is edited from the task page (links pass ?task=<pk>).
    *model_urls(BudgetLine, "budget-lines"),
    *model_urls(Tranche, "tranches"),
    *model_urls(Disbursement, "disbursements"),
    *model_urls(Settlement, "settlements"),
    path("budget-by-year/", views.BudgetByYearView.as_view(), name="budget_by_year"),
    *model_urls(Allocation, "allocations"),
    # Spendings are edited from their allocation's page (links pass ?allocation=<pk>).
    *model_urls(AllocationSpending, "spendings"),
]
