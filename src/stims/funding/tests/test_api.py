"""The funding API: the same rows, refusals and money rules as the pages, all or nothing."""

import pytest

from stims.core.tests.versions import if_match
from stims.funding.models import (
    AllocationSpending,
    BudgetLine,
    Disbursement,
    FundingSource,
    Settlement,
    Tranche,
)
from stims.testing import make_user

from .conftest import D, M, allocate, pay, plan, planned_state_550

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_a_specialist_plans_pays_and_settles_a_task_through_the_api(client, specialist, ba_che_task):
    line = {
        "task": ba_che_task.pk,
        "year": 2025,
        "source": FundingSource.STATE_LUMP_SUM,
        "amount": 550_000_000,
    }
    created = client.post("/api/funding/budget-lines/", line, content_type=JSON)
    assert created.status_code == 201, created.json()
    tranche = client.post(
        "/api/funding/tranches/",
        {"task": ba_che_task.pk, "number": 1, "amount": 550_000_000},
        content_type=JSON,
    )
    assert tranche.status_code == 201, tranche.json()
    paid = {
        "task": ba_che_task.pk,
        "tranche": tranche.json()["id"],
        "paid_on": "2025-03-01",
        "amount": 550_000_000,
    }
    assert client.post("/api/funding/disbursements/", paid, content_type=JSON).status_code == 201
    listed = client.get("/api/funding/tranches/", {"task": ba_che_task.pk}).json()["results"]
    assert [(t["number"], t["amount"], t["disbursed"]) for t in listed] == [(1, 550_000_000, 550_000_000)]
    settlement = {
        "task": ba_che_task.pk,
        "settled_on": "2026-01-05",
        "settled_amount": 549_000_000,
        "returned_amount": 1_000_000,
    }
    assert client.post("/api/funding/settlements/", settlement, content_type=JSON).status_code == 201
    assert Settlement.objects.get().settled_amount == 549 * M


def test_the_api_refuses_what_breaks_the_money_rules_and_saves_nothing(client, specialist, ba_che_task):
    planned_state_550(ba_che_task)
    pay(ba_che_task, 500 * M, D(2024, 3, 1))
    over = client.post(
        "/api/funding/disbursements/",
        {"task": ba_che_task.pk, "paid_on": "2024-09-01", "amount": 50 * M + 1},
        content_type=JSON,
    )
    assert over.status_code == 400 and "amount" in over.json()["errors"]
    too_many = client.post(
        "/api/funding/tranches/",
        {"task": ba_che_task.pk, "number": 1, "amount": 550 * M + 1},
        content_type=JSON,
    )
    assert too_many.status_code == 400 and "amount" in too_many.json()["errors"]
    unbalanced = {
        "task": ba_che_task.pk,
        "settled_on": "2026-01-05",
        "settled_amount": 550 * M,
        "returned_amount": 0,
    }
    refused = client.post("/api/funding/settlements/", unbalanced, content_type=JSON)
    assert refused.status_code == 400 and "non_field_errors" in refused.json()["errors"]
    decimal = client.post(
        "/api/funding/budget-lines/",
        {"task": ba_che_task.pk, "year": 2026, "source": "other", "amount": 1.5},
        content_type=JSON,
    )
    negative = client.post(
        "/api/funding/budget-lines/",
        {"task": ba_che_task.pk, "year": 2026, "source": "other", "amount": -1},
        content_type=JSON,
    )
    assert (decimal.status_code, negative.status_code) == (400, 400)
    line = BudgetLine.objects.get(year=2025)
    lowered = client.patch(
        f"/api/funding/budget-lines/{line.pk}/", {"amount": 199 * M}, content_type=JSON, **if_match(line)
    )
    assert lowered.status_code == 400
    assert (
        Disbursement.objects.count(),
        Tranche.objects.count(),
        Settlement.objects.count(),
        BudgetLine.objects.count(),
    ) == (1, 0, 0, 3)
    assert BudgetLine.objects.get(year=2025).amount == 250 * M


def test_a_budget_line_does_not_move_to_another_task_through_the_api(
    client, specialist, ba_che_task, binh_lieu_task
):
    line = plan(ba_che_task, 2024, FundingSource.OTHER, M)
    moved = client.patch(
        f"/api/funding/budget-lines/{line.pk}/",
        {"task": binh_lieu_task.pk},
        content_type=JSON,
        **if_match(line),
    )
    assert moved.status_code == 400
    assert BudgetLine.objects.get().task == ba_che_task


def test_a_local_officer_reads_their_tasks_money_and_allocations_only_and_cannot_plan(
    client, ba_che_officer, ba_che, binh_lieu, ba_che_task, binh_lieu_task
):
    plan(ba_che_task, 2024, FundingSource.STATE_LUMP_SUM, M)
    plan(binh_lieu_task, 2024, FundingSource.STATE_LUMP_SUM, 2 * M)
    assert [r["amount"] for r in client.get("/api/funding/budget-lines/").json()["results"]] == [M]
    line = {"task": ba_che_task.pk, "year": 2025, "source": FundingSource.OTHER, "amount": 1000}
    assert client.post("/api/funding/budget-lines/", line, content_type=JSON).status_code == 403
    assert BudgetLine.objects.count() == 2

    own, other = allocate(2025, 550 * M, unit=ba_che), allocate(2025, 300 * M, unit=binh_lieu)
    rows = client.get("/api/funding/allocations/").json()["results"]
    assert [(r["id"], r["spent"], r["remaining"]) for r in rows] == [(own.pk, 0, 550 * M)]
    assert client.get(f"/api/funding/allocations/{other.pk}/").status_code == 404
    spending = {"allocation": own.pk, "spent_on": "2025-03-01", "amount": 500 * M, "purpose": "Mô hình"}
    assert client.post("/api/funding/spendings/", spending, content_type=JSON).status_code == 201
    over = client.post("/api/funding/spendings/", {**spending, "amount": 50 * M + 1}, content_type=JSON)
    assert over.status_code == 400 and "amount" in over.json()["errors"]
    elsewhere = client.post(
        "/api/funding/spendings/", {**spending, "allocation": other.pk, "amount": 1}, content_type=JSON
    )
    # Another district's allocation is not one the officer may pick: refused on the field, naming nothing.
    assert elsewhere.status_code == 400 and "allocation" in elsewhere.json()["errors"]
    assert list(AllocationSpending.objects.values_list("amount", flat=True)) == [500 * M]
    assert client.get("/api/funding/allocations/", {"year": 2024}).json()["results"] == []


def test_a_viewer_reads_the_api_but_writes_nothing(client, viewer, ba_che, ba_che_task):
    line = plan(ba_che_task, 2024, FundingSource.OTHER, M)
    assert client.get(f"/api/funding/budget-lines/{line.pk}/").status_code == 200
    assert (
        client.patch(
            f"/api/funding/budget-lines/{line.pk}/", {"amount": 2}, content_type=JSON, **if_match(line)
        ).status_code
        == 403
    )
    assert client.delete(f"/api/funding/budget-lines/{line.pk}/").status_code == 403
    allocation = {"year": 2025, "recipient_unit": ba_che.pk, "amount": 1, "purpose": "x"}
    assert client.post("/api/funding/allocations/", allocation, content_type=JSON).status_code == 403
    assert BudgetLine.objects.get().amount == M


def test_deleting_a_disbursement_of_settled_funds_is_refused_through_the_api(client, ba_che_task):
    client.force_login(make_user("leader"))
    planned_state_550(ba_che_task)
    payment = pay(ba_che_task, 100 * M, D(2024, 3, 1))
    Settlement.objects.create(task=ba_che_task, settled_on=D(2026, 1, 5), settled_amount=100 * M)
    assert client.delete(f"/api/funding/disbursements/{payment.pk}/").status_code == 400
    assert Disbursement.objects.filter(pk=payment.pk).exists()
    Settlement.objects.all().delete()
    assert client.delete(f"/api/funding/disbursements/{payment.pk}/").status_code == 204


def test_an_allocation_written_through_the_api_answers_with_what_is_spent_and_what_remains(
    client, specialist, ba_che
):
    allocation = {
        "year": 2025,
        "recipient_unit": ba_che.pk,
        "amount": 550 * M,
        "purpose": "Chuyển giao mô hình",
    }
    created = client.post("/api/funding/allocations/", allocation, content_type=JSON)
    assert created.status_code == 201, created.json()
    assert (created.json()["spent"], created.json()["remaining"]) == (0, 550 * M)
    pk = created.json()["id"]
    AllocationSpending.objects.create(
        allocation_id=pk, spent_on="2025-03-01", amount=100 * M, purpose="Mô hình"
    )
    changed = client.patch(
        f"/api/funding/allocations/{pk}/",
        {"amount": 600 * M},
        content_type=JSON,
        HTTP_IF_MATCH=created["ETag"],
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["spent"], changed.json()["remaining"]) == (100 * M, 500 * M)
