"""The money rules, called directly: exact integers, refusals that write nothing, figures by year."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from stims.core.forms import VndField
from stims.funding import services
from stims.funding.models import (
    Allocation,
    AllocationSpending,
    BudgetLine,
    Disbursement,
    FundingSource,
    Settlement,
    Tranche,
)
from stims.sttasks.models import Level, Task
from stims.testing import make_user

from .conftest import D, M, allocate, pay, plan, planned_state_550, tranche

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("550.000.000", 550_000_000),
        ("550000000", 550_000_000),
        (" 550.000.000 đ ", 550_000_000),
        ("1.500", 1500),
        ("0", 0),
        ("9.007.199.254.740.993", 9_007_199_254_740_993),
    ],
)
def test_amounts_are_read_as_people_type_them_to_the_exact_dong(typed, amount):
    assert VndField().clean(typed) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "cannot be negative"),
        ("-550.000.000", "cannot be negative"),
        ("1500.5", "without decimals"),
        ("1,5", "without decimals"),
        ("550.000,50", "without decimals"),
        ("5 triệu", "whole number"),
    ],
)
def test_negative_and_decimal_amounts_are_refused_with_a_clear_message(typed, message):
    with pytest.raises(ValidationError) as refused:
        VndField().clean(typed)
    assert message in refused.value.messages[0]


def test_the_task_budget_adds_up_by_source_year_and_tranche(ba_che_task):
    planned_state_550(ba_che_task)
    plan(ba_che_task, 2025, FundingSource.OTHER, 7)
    first = tranche(ba_che_task, 1, 300 * M, D(2024, 3, 1))
    second = tranche(ba_che_task, 2, 250 * M, D(2025, 2, 1))
    pay(ba_che_task, 200 * M, D(2024, 3, 15), first)
    pay(ba_che_task, 100 * M + 1, D(2024, 6, 1), first)
    pay(ba_che_task, 99 * M - 1, D(2025, 2, 10))

    budget = services.task_budget(ba_che_task)
    assert budget.planned == 650 * M + 7
    assert budget.planned_state == 550 * M
    assert budget.by_source == [300 * M, 250 * M, 100 * M, 7]
    assert [(row.year, row.amounts, row.total) for row in budget.by_year] == [
        (2024, [300 * M, 0, 100 * M, 0], 400 * M),
        (2025, [0, 250 * M, 0, 7], 250 * M + 7),
    ]
    assert [(row.tranche, row.disbursed) for row in budget.tranches] == [(first, 300 * M + 1), (second, 0)]
    assert [d.amount for d in budget.unassigned_disbursements] == [99 * M - 1]
    assert (budget.tranches_total, budget.disbursed, budget.remaining) == (550 * M, 399 * M, 151 * M)
    assert budget.settlement is None


def test_the_task_budget_runs_four_queries_however_many_rows(ba_che_task, django_assert_num_queries):
    planned_state_550(ba_che_task)
    with django_assert_num_queries(4):
        services.task_budget(ba_che_task)
    for number in range(1, 11):
        t = tranche(ba_che_task, number, 10 * M, D(2024, 1, number))
        pay(ba_che_task, 5 * M, D(2024, 2, number), t)
    with django_assert_num_queries(4):
        budget = services.task_budget(ba_che_task)
    assert budget.disbursed == 50 * M


def test_tranches_cannot_total_more_than_the_state_budget_planned(ba_che_task):
    planned_state_550(ba_che_task)
    services.save_tranche(Tranche(task=ba_che_task, number=1, amount=500 * M))
    with pytest.raises(ValidationError) as refused:
        services.save_tranche(Tranche(task=ba_che_task, number=2, amount=50 * M + 1))
    assert "550.000.001 ₫" in str(refused.value) and "550.000.000 ₫" in str(refused.value)
    assert list(Tranche.objects.values_list("number", flat=True)) == [1]
    services.save_tranche(Tranche(task=ba_che_task, number=2, amount=50 * M))  # exactly the plan: accepted
    assert sum(Tranche.objects.values_list("amount", flat=True)) == 550 * M


def test_a_disbursement_beyond_the_state_budget_planned_is_refused_and_nothing_is_saved(ba_che_task):
    planned_state_550(ba_che_task)
    pay(ba_che_task, 500 * M, D(2024, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.save_disbursement(Disbursement(task=ba_che_task, amount=50 * M + 1, paid_on=D(2024, 9, 1)))
    assert refused.value.message_dict["amount"] == [
        "Disbursing 50.000.001 ₫ would bring the amount disbursed to 550.000.001 ₫, more than the 550.000.000 ₫ "
        "of state budget planned for this task."
    ]
    assert Disbursement.objects.count() == 1
    # Raising an existing payment past the plan is refused the same way, and leaves it as it was.
    existing = Disbursement.objects.get()
    existing.amount = 550 * M + 1
    with pytest.raises(ValidationError):
        services.save_disbursement(existing)
    assert Disbursement.objects.get().amount == 500 * M


def test_counterpart_funds_do_not_make_room_for_state_disbursements(ba_che_task):
    plan(ba_che_task, 2024, FundingSource.COUNTERPART, 900 * M)
    with pytest.raises(ValidationError):
        services.save_disbursement(Disbursement(task=ba_che_task, amount=1, paid_on=D(2024, 3, 1)))
    assert not Disbursement.objects.exists()


def test_the_settlement_must_account_for_every_dong_disbursed(ba_che_task):
    planned_state_550(ba_che_task)
    pay(ba_che_task, 550 * M, D(2024, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.save_settlement(
            Settlement(
                task=ba_che_task, settled_on=D(2026, 1, 5), settled_amount=540 * M, returned_amount=9 * M
            )
        )
    assert "550.000.000 ₫" in str(refused.value) and "549.000.000 ₫" in str(refused.value)
    assert not Settlement.objects.exists()
    services.save_settlement(
        Settlement(task=ba_che_task, settled_on=D(2026, 1, 5), settled_amount=540 * M, returned_amount=10 * M)
    )
    assert services.task_budget(ba_che_task).settlement.returned_amount == 10 * M


def test_once_settled_disbursements_no_longer_change(ba_che_task):
    planned_state_550(ba_che_task)
    payment = pay(ba_che_task, 500 * M, D(2024, 3, 1))
    Settlement.objects.create(task=ba_che_task, settled_on=D(2026, 1, 5), settled_amount=500 * M)
    with pytest.raises(ValidationError):
        services.save_disbursement(Disbursement(task=ba_che_task, amount=1, paid_on=D(2026, 2, 1)))
    with pytest.raises(ValidationError):
        services.delete(payment)
    assert list(Disbursement.objects.values_list("amount", flat=True)) == [500 * M]


def test_the_state_budget_cannot_be_lowered_below_tranches_or_disbursements(ba_che_task):
    planned_state_550(ba_che_task)
    line_2025 = BudgetLine.objects.get(year=2025)
    tranche(ba_che_task, 1, 400 * M)
    line_2025.amount = 99 * M
    with pytest.raises(ValidationError) as refused:
        services.save_budget_line(line_2025)
    assert "399.000.000 ₫" in str(refused.value) and "400.000.000 ₫" in str(refused.value)
    line_2025.source = FundingSource.OTHER  # moving it out of the state budget lowers it too
    line_2025.amount = 250 * M
    with pytest.raises(ValidationError):
        services.save_budget_line(line_2025)
    with pytest.raises(ValidationError):
        services.delete(BudgetLine.objects.get(year=2025))
    assert BudgetLine.objects.get(year=2025).amount == 250 * M
    assert BudgetLine.objects.get(year=2025).source == FundingSource.STATE_NON_LUMP_SUM
    line_2025.refresh_from_db()
    line_2025.amount = 100 * M
    services.save_budget_line(line_2025)  # 400 million still covered: accepted
    assert services.planned_state(ba_che_task.pk) == 400 * M


def test_a_negative_budget_line_is_refused_by_the_models_own_rule(ba_che_task):
    with pytest.raises(ValidationError) as refused:
        services.save_budget_line(
            BudgetLine(task=ba_che_task, year=2024, source=FundingSource.OTHER, amount=-1)
        )
    assert "amount" in refused.value.message_dict
    assert not BudgetLine.objects.exists()


def test_budget_by_year_matches_the_figures_worked_out_by_hand(
    make_task, ba_che, binh_lieu, programme, django_assert_num_queries
):
    a = make_task("A", ordering_unit=ba_che, programme=programme)
    b = make_task("B", ordering_unit=binh_lieu, level=Level.GRASSROOTS)
    # Task A: 2024 state 300 + counterpart 100; 2025 state 250 → state 550.
    planned_state_550(a)
    a1, a2 = tranche(a, 1, 300 * M, D(2024, 3, 1)), tranche(a, 2, 200 * M, D(2025, 2, 1))
    tranche(a, 3, 50 * M)  # no planned date: in no year
    pay(a, 300 * M, D(2024, 4, 1), a1)
    pay(a, 150 * M, D(2025, 3, 1), a2)
    pay(a, 1, D(2025, 12, 31))
    # Task B: 2025 state lump-sum 80 + other 20, one tranche and payment in 2026.
    plan(b, 2025, FundingSource.STATE_LUMP_SUM, 80 * M)
    plan(b, 2025, FundingSource.OTHER, 20 * M)
    b1 = tranche(b, 1, 80 * M, D(2026, 1, 10))
    pay(b, 80 * M, D(2026, 1, 20), b1)

    with django_assert_num_queries(3):
        rows = services.budget_by_year(Task.objects.all())
    assert [(r.year, r.planned, r.planned_state, r.allocated, r.disbursed) for r in rows] == [
        (2024, 400 * M, 300 * M, 300 * M, 300 * M),
        (2025, 350 * M, 330 * M, 200 * M, 150 * M + 1),
        (2026, 0, 0, 80 * M, 80 * M),
    ]
    totals = services.budget_totals(rows)
    assert (totals.planned, totals.planned_state, totals.allocated, totals.disbursed) == (
        750 * M,
        630 * M,
        580 * M,
        530 * M + 1,
    )

    # A range of years lists every year, empty or not; the task queryset decides which tasks count.
    rows = services.budget_by_year(Task.objects.filter(code="A"), years=range(2023, 2027))
    assert [(r.year, r.planned, r.allocated, r.disbursed) for r in rows] == [
        (2023, 0, 0, 0),
        (2024, 400 * M, 300 * M, 300 * M),
        (2025, 250 * M, 200 * M, 150 * M + 1),
        (2026, 0, 0, 0),
    ]
    assert (
        services.budget_by_year(Task.objects.filter(level=Level.GRASSROOTS), years=[2025])[0].planned
        == 100 * M
    )


def test_budget_by_year_counts_only_the_tasks_of_a_restricted_queryset(make_task, ba_che, binh_lieu):
    from stims.core import permissions

    a, b = make_task("A", ordering_unit=ba_che), make_task("B", ordering_unit=binh_lieu)
    plan(a, 2024, FundingSource.STATE_LUMP_SUM, 10 * M)
    plan(b, 2024, FundingSource.STATE_LUMP_SUM, 20 * M)
    officer = make_user("local_officer", admin_unit=ba_che)
    rows = services.budget_by_year(permissions.restrict(Task.objects.all(), officer))
    assert [(r.year, r.planned) for r in rows] == [(2024, 10 * M)]


def test_allocations_by_year_sum_per_year_and_recipient(ba_che, binh_lieu, django_assert_num_queries):
    first = allocate(2025, 550 * M, unit=ba_che)
    second = allocate(2025, 50 * M, unit=ba_che, purpose="Bổ sung")
    allocate(2024, 300 * M, unit=ba_che)
    other = allocate(2025, 200 * M, unit=binh_lieu)
    AllocationSpending.objects.create(
        allocation=first, spent_on=D(2025, 3, 1), amount=120 * M, purpose="Mô hình"
    )
    AllocationSpending.objects.create(
        allocation=first, spent_on=D(2025, 5, 1), amount=30 * M, purpose="Tập huấn"
    )
    AllocationSpending.objects.create(
        allocation=second, spent_on=D(2025, 6, 1), amount=50 * M, purpose="Hội thảo"
    )
    AllocationSpending.objects.create(allocation=other, spent_on=D(2025, 6, 1), amount=1, purpose="Khảo sát")
    with django_assert_num_queries(2):
        rows = services.allocations_by_year(Allocation.objects.all())
    assert [(r.year, r.recipient, r.allocated, r.spent, r.remaining) for r in rows] == [
        (2025, "Huyện Ba Chẽ", 600 * M, 200 * M, 400 * M),
        (2025, "Huyện Bình Liêu", 200 * M, 1, 200 * M - 1),
        (2024, "Huyện Ba Chẽ", 300 * M, 0, 300 * M),
    ]


def test_an_allocation_is_never_spent_beyond_its_amount(ba_che):
    allocation = allocate(2025, 550 * M, unit=ba_che)
    services.save_spending(
        AllocationSpending(allocation=allocation, spent_on=D(2025, 3, 1), amount=500 * M, purpose="Mô hình")
    )
    with pytest.raises(ValidationError) as refused:
        services.save_spending(
            AllocationSpending(
                allocation=allocation, spent_on=D(2025, 4, 1), amount=50 * M + 1, purpose="Thêm"
            )
        )
    assert "550.000.001 ₫" in str(refused.value) and "550.000.000 ₫" in str(refused.value)
    assert AllocationSpending.objects.count() == 1
    allocation.amount = 499 * M
    with pytest.raises(ValidationError):
        services.save_allocation(allocation)
    assert Allocation.objects.get(pk=allocation.pk).amount == 550 * M
