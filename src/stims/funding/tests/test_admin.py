"""The admin obeys the money rules too."""

import pytest
from django.urls import reverse

from stims.accounts.models import User
from stims.funding.models import Allocation, AllocationSpending, BudgetLine, Disbursement, Settlement, Tranche

from .conftest import D, M, pay, planned_state_550

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-for-tests-123"))
    return client


@pytest.mark.parametrize(
    "model", [BudgetLine, Tranche, Disbursement, Settlement, Allocation, AllocationSpending]
)
def test_every_funding_model_has_its_admin_pages(admin_client, model):
    opts = model._meta
    assert (
        admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    )
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_the_admin_refuses_an_over_disbursement_and_a_deletion_the_rules_forbid(admin_client, ba_che_task):
    planned_state_550(ba_che_task)
    pay(ba_che_task, 500 * M, D(2024, 3, 1))
    data = {
        "task": ba_che_task.pk,
        "paid_on": "2024-09-01",
        "amount": "50.000.001",
        "voucher": "",
        "note": "",
    }
    refused = admin_client.post(reverse("admin:funding_disbursement_add"), data)
    assert refused.status_code == 200 and "550.000.001" in refused.content.decode()
    assert Disbursement.objects.count() == 1
    data["amount"] = "50.000.000"
    assert admin_client.post(reverse("admin:funding_disbursement_add"), data).status_code == 302
    assert sum(Disbursement.objects.values_list("amount", flat=True)) == 550 * M

    line = BudgetLine.objects.get(year=2025)
    admin_client.post(reverse("admin:funding_budgetline_delete", args=[line.pk]), {"post": "yes"})
    assert BudgetLine.objects.filter(pk=line.pk).exists()
