"""The money rules of S&T funding, in one place for the pages, the API and the admin.

Amounts are VND as exact integers: sums are done by the database (SUM over BIGINT) or by Python
integers, never floats.

The rules a task's money obeys:
  * the tranches planned never total more than the state budget planned (the state_* budget lines);
  * what is disbursed never totals more than the state budget planned;
  * the settlement accounts for every đồng disbursed: settled + returned = disbursed;
  * and, so that these stay true, the state budget planned cannot be lowered below the tranches or
    what was disbursed, and disbursements cannot change once the funds are settled.
An allocation to a locality or agency is never spent beyond its amount.

Every `save_*` / `delete_*` checks and writes inside one transaction with the parent row (the task,
the allocation) locked, so two people paying the last tranche at once cannot both succeed; a refused
change raises `ValidationError` and writes nothing. `check_*` runs the same checks without writing
(for forms that want to show errors before saving, like the admin's).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from stims.core import permissions
from stims.core.db import within
from stims.core.templatetags.stims import vnd

from .models import (
    STATE_SOURCES,
    Allocation,
    AllocationSpending,
    BudgetLine,
    Disbursement,
    FundingSource,
    Settlement,
    Tranche,
)


def _sum(queryset, column: str = "amount") -> int:
    return queryset.aggregate(total=Coalesce(Sum(column), 0, output_field=models.BigIntegerField()))["total"]


def _others(queryset, instance):
    """The rows of `queryset` other than `instance` (which may be new, or being changed)."""
    return queryset.exclude(pk=instance.pk) if instance.pk is not None else queryset


def _lock_task(task_id):
    from stims.sttasks.models import Task

    return Task.objects.select_for_update().only("pk").get(pk=task_id)


def planned_state(task_id) -> int:
    return _sum(BudgetLine.objects.filter(task_id=task_id, source__in=STATE_SOURCES))


def disbursed_total(task_id) -> int:
    return _sum(Disbursement.objects.filter(task_id=task_id))


# ---- checks (raise ValidationError, write nothing)


def check_budget_line(line: BudgetLine, *, removing: bool = False) -> None:
    """The state budget planned after saving (or removing) `line` still covers the tranches and
    what was disbursed."""
    if line.task_id is None:
        return
    others = _others(BudgetLine.objects.filter(task_id=line.task_id, source__in=STATE_SOURCES), line)
    counted = 0 if removing or line.source not in STATE_SOURCES else (line.amount or 0)
    new_planned = _sum(others) + counted
    tranches = _sum(Tranche.objects.filter(task_id=line.task_id))
    disbursed = disbursed_total(line.task_id)
    field_name = None if removing else "amount"
    if tranches > new_planned:
        raise ValidationError(
            {
                field_name or "__all__": _(
                    "This would bring the state budget planned for the task down to %(planned)s, below the %(tranches)s "
                    "already planned in tranches. Change the tranches first."
                )
                % {"planned": vnd(new_planned), "tranches": vnd(tranches)}
            }
        )
    if disbursed > new_planned:
        raise ValidationError(
            {
                field_name or "__all__": _(
                    "This would bring the state budget planned for the task down to %(planned)s, below the %(disbursed)s "
                    "already disbursed."
                )
                % {"planned": vnd(new_planned), "disbursed": vnd(disbursed)}
            }
        )


def check_tranche(tranche: Tranche) -> None:
    """The tranches, with this one, total no more than the state budget planned."""
    if tranche.task_id is None or tranche.amount is None:
        return
    total = _sum(_others(Tranche.objects.filter(task_id=tranche.task_id), tranche)) + tranche.amount
    planned = planned_state(tranche.task_id)
    if total > planned:
        raise ValidationError(
            {
                "amount": _(
                    "The tranches would total %(total)s, more than the %(planned)s of state budget planned for this task."
                )
                % {"total": vnd(total), "planned": vnd(planned)}
            }
        )


def _check_not_settled(task_id) -> None:
    if Settlement.objects.filter(task_id=task_id).exists():
        raise ValidationError(
            _(
                "The funds of this task are settled: disbursements can no longer change. Change or delete the "
                "settlement first."
            )
        )


def check_disbursement(disbursement: Disbursement, *, removing: bool = False) -> None:
    """What is disbursed, with this payment, stays within the state budget planned; nothing moves once
    the funds are settled."""
    if disbursement.task_id is None:
        return
    _check_not_settled(disbursement.task_id)
    if removing or disbursement.amount is None:
        return
    total = (
        _sum(_others(Disbursement.objects.filter(task_id=disbursement.task_id), disbursement))
        + disbursement.amount
    )
    planned = planned_state(disbursement.task_id)
    if total > planned:
        raise ValidationError(
            {
                "amount": _(
                    "Disbursing %(amount)s would bring the amount disbursed to %(total)s, more than the %(planned)s of "
                    "state budget planned for this task."
                )
                % {"amount": vnd(disbursement.amount), "total": vnd(total), "planned": vnd(planned)}
            }
        )


def check_settlement(settlement: Settlement) -> None:
    """Settled plus returned accounts for exactly what was disbursed."""
    if settlement.task_id is None or settlement.settled_amount is None:
        return
    disbursed = disbursed_total(settlement.task_id)
    accounted = settlement.settled_amount + (settlement.returned_amount or 0)
    if accounted != disbursed:
        raise ValidationError(
            {
                "__all__": _(
                    "The amount settled and the amount returned must add up to the %(disbursed)s disbursed to this task; "
                    "they add up to %(accounted)s."
                )
                % {"disbursed": vnd(disbursed), "accounted": vnd(accounted)}
            }
        )


def check_allocation(allocation: Allocation) -> None:
    """An allocation is not lowered below what was already spent of it."""
    if allocation.pk is None or allocation.amount is None:
        return
    spent = _sum(AllocationSpending.objects.filter(allocation_id=allocation.pk))
    if spent > allocation.amount:
        raise ValidationError(
            {
                "amount": _(
                    "The allocation cannot be lowered to %(amount)s: %(spent)s of it has already been spent."
                )
                % {"amount": vnd(allocation.amount), "spent": vnd(spent)}
            }
        )


def check_spending(spending: AllocationSpending) -> None:
    """What is spent of an allocation, with this spending, stays within the amount allocated."""
    if spending.allocation_id is None or spending.amount is None:
        return
    allocated = Allocation.objects.values_list("amount", flat=True).get(pk=spending.allocation_id)
    total = (
        _sum(_others(AllocationSpending.objects.filter(allocation_id=spending.allocation_id), spending))
        + spending.amount
    )
    if total > allocated:
        raise ValidationError(
            {
                "amount": _(
                    "Spending %(amount)s would bring the spending of this allocation to %(total)s, more than the "
                    "%(allocated)s allocated."
                )
                % {"amount": vnd(spending.amount), "total": vnd(total), "allocated": vnd(allocated)}
            }
        )


# ---- writes: check and save under a lock, all or nothing


def _save(instance, check, lock):
    with transaction.atomic():
        instance.full_clean()  # the model's own rules first (a missing task is reported, not locked)
        lock()
        check(instance)
        instance.save()
    return instance


def save_budget_line(line: BudgetLine) -> BudgetLine:
    return _save(line, check_budget_line, lambda: _lock_task(line.task_id))


def save_tranche(tranche: Tranche) -> Tranche:
    return _save(tranche, check_tranche, lambda: _lock_task(tranche.task_id))


def save_disbursement(disbursement: Disbursement) -> Disbursement:
    return _save(disbursement, check_disbursement, lambda: _lock_task(disbursement.task_id))


def save_settlement(settlement: Settlement) -> Settlement:
    return _save(settlement, check_settlement, lambda: _lock_task(settlement.task_id))


def save_allocation(allocation: Allocation) -> Allocation:
    def lock():
        if allocation.pk is not None:
            Allocation.objects.select_for_update().filter(pk=allocation.pk).exists()

    return _save(allocation, check_allocation, lock)


def save_spending(spending: AllocationSpending) -> AllocationSpending:
    def lock():
        Allocation.objects.select_for_update().filter(pk=spending.allocation_id).exists()

    return _save(spending, check_spending, lock)


def check_removal(instance) -> None:
    """Lock the parent and check that deleting `instance` keeps the rules; call inside a transaction
    that then deletes it (the generic delete page does)."""
    if isinstance(instance, BudgetLine):
        _lock_task(instance.task_id)
        check_budget_line(instance, removing=True)
    elif isinstance(instance, Disbursement):
        _lock_task(instance.task_id)
        check_disbursement(instance, removing=True)


SAVERS = {
    BudgetLine: save_budget_line,
    Tranche: save_tranche,
    Disbursement: save_disbursement,
    Settlement: save_settlement,
    Allocation: save_allocation,
    AllocationSpending: save_spending,
}


def save(instance):
    """Save a funding record through its rules."""
    return SAVERS[type(instance)](instance)


def delete(instance) -> None:
    """Delete a funding record through its rules, all or nothing."""
    with transaction.atomic():
        check_removal(instance)
        instance.delete()


# ---- one task's budget


@dataclass
class YearPlan:
    year: int
    amounts: list[int]  # per source, in the order of FundingSource
    lines: list  # the BudgetLine (or None) behind each amount, for edit links
    total: int


@dataclass
class TrancheRow:
    tranche: Tranche
    disbursements: list
    disbursed: int


@dataclass
class TaskBudget:
    lines: list
    sources: list  # (value, label) of every source, in order
    by_source: list[int]  # totals per source, in the same order
    by_year: list[YearPlan]
    planned: int
    planned_state: int
    tranches: list[TrancheRow]
    tranches_total: int
    unassigned_disbursements: list  # paid outside any tranche
    disbursements: list
    disbursed: int
    remaining: int  # state budget planned, not disbursed yet
    unscheduled: int  # state budget planned, not planned in a tranche yet
    settlement: Settlement | None
    settlement_balanced: bool = field(default=True)


def _visible(queryset, user):
    return queryset if user is None else permissions.restrict(queryset, user, permissions.VIEW)


def task_budget(task, user=None) -> TaskBudget:
    """A task's budget: planned by source and year, tranches with what was disbursed on each, totals,
    what remains, and the settlement. Four queries, whatever the number of rows; with `user`, only the
    rows that user may see."""
    sources = list(FundingSource.choices)
    order = {value: index for index, (value, _label) in enumerate(sources)}
    lines = list(_visible(BudgetLine.objects.filter(task=task), user).order_by("year", "source"))
    tranches = list(_visible(Tranche.objects.filter(task=task), user).order_by("number", "pk"))
    disbursements = list(_visible(Disbursement.objects.filter(task=task), user).order_by("paid_on", "pk"))
    settlement = _visible(Settlement.objects.filter(task=task), user).first()

    by_source = [0] * len(sources)
    years: dict[int, YearPlan] = {}
    for line in lines:
        row = years.setdefault(line.year, YearPlan(line.year, [0] * len(sources), [None] * len(sources), 0))
        row.amounts[order[line.source]] += line.amount
        row.lines[order[line.source]] = line
        row.total += line.amount
        by_source[order[line.source]] += line.amount
    planned_state_amount = sum(by_source[order[source]] for source in STATE_SOURCES)

    paid: dict[int | None, list] = defaultdict(list)
    for disbursement in disbursements:
        paid[disbursement.tranche_id].append(disbursement)
    tranche_rows = []
    for tranche in tranches:
        rows = paid.get(tranche.pk, [])
        for disbursement in rows:
            disbursement.tranche = tranche  # already fetched: no query when a template names it
        tranche_rows.append(TrancheRow(tranche, rows, sum(d.amount for d in rows)))
    known = {tranche.pk for tranche in tranches}
    unassigned = [d for d in disbursements if d.tranche_id is None or d.tranche_id not in known]
    disbursed = sum(d.amount for d in disbursements)
    tranches_total = sum(t.amount for t in tranches)
    return TaskBudget(
        lines=lines,
        sources=sources,
        by_source=by_source,
        by_year=[years[year] for year in sorted(years)],
        planned=sum(by_source),
        planned_state=planned_state_amount,
        tranches=tranche_rows,
        tranches_total=tranches_total,
        unassigned_disbursements=unassigned,
        disbursements=disbursements,
        disbursed=disbursed,
        remaining=planned_state_amount - disbursed,
        unscheduled=planned_state_amount - tranches_total,
        settlement=settlement,
        settlement_balanced=settlement is None
        or settlement.settled_amount + settlement.returned_amount == disbursed,
    )


# ---- figures over many tasks and allocations


@dataclass
class BudgetYearRow:
    year: int
    planned: int = 0
    planned_state: int = 0
    allocated: int = 0  # tranches planned in the year
    disbursed: int = 0  # paid in the year


def _year_bounds(years: Iterable[int] | None):
    if years is None:
        return None, None
    wanted = sorted(set(int(y) for y in years))
    return (wanted, (wanted[0], wanted[-1])) if wanted else ([], None)


def budget_by_year(task_queryset, years: Iterable[int] | None = None) -> list[BudgetYearRow]:
    """Per year, for the tasks of `task_queryset`: the budget planned (all sources, and the state
    budget), the tranches planned in the year and what was paid in the year. Three aggregate queries.

    `years`: the years to report, each with a row even when empty; None reports every year that has
    a figure. Tranches without a planned date fall in no year.
    """
    wanted, bounds = _year_bounds(years)
    if wanted == []:
        return []
    lines = within(BudgetLine.objects.all(), "task", task_queryset)
    tranches = within(Tranche.objects.filter(planned_on__isnull=False), "task", task_queryset)
    paid = within(Disbursement.objects.all(), "task", task_queryset)
    if bounds:
        first, last = bounds
        lines = lines.filter(year__gte=first, year__lte=last)
        tranches = tranches.filter(
            planned_on__gte=datetime.date(first, 1, 1), planned_on__lte=datetime.date(last, 12, 31)
        )
        paid = paid.filter(paid_on__gte=datetime.date(first, 1, 1), paid_on__lte=datetime.date(last, 12, 31))

    rows: dict[int, BudgetYearRow] = {year: BudgetYearRow(year) for year in wanted or ()}

    def row(year):
        return rows.setdefault(year, BudgetYearRow(year))

    planned = (
        lines.order_by()
        .values("year")
        .annotate(planned=Sum("amount"), planned_state=Sum("amount", filter=Q(source__in=STATE_SOURCES)))
    )
    for entry in planned:
        target = row(entry["year"])
        target.planned, target.planned_state = entry["planned"] or 0, entry["planned_state"] or 0
    for entry in (
        tranches.annotate(y=ExtractYear("planned_on")).order_by().values("y").annotate(total=Sum("amount"))
    ):
        row(entry["y"]).allocated = entry["total"] or 0
    for entry in paid.annotate(y=ExtractYear("paid_on")).order_by().values("y").annotate(total=Sum("amount")):
        row(entry["y"]).disbursed = entry["total"] or 0
    keep = set(wanted) if wanted is not None else None
    return [rows[year] for year in sorted(rows) if keep is None or year in keep]


def budget_totals(rows: Iterable[BudgetYearRow]) -> BudgetYearRow:
    """The sum of `budget_by_year` rows (its `year` is None)."""
    total = BudgetYearRow(year=None)
    for row in rows:
        total.planned += row.planned
        total.planned_state += row.planned_state
        total.allocated += row.allocated
        total.disbursed += row.disbursed
    return total


def allocations_with_spent(queryset=None):
    """Allocations with `spent` and `remaining` computed by the database (one subquery, no query per row)."""
    spent = (
        AllocationSpending.objects.filter(allocation=OuterRef("pk"))
        .order_by()
        .values("allocation")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    queryset = Allocation.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("recipient_unit", "recipient_organization")
        .annotate(spent=Coalesce(Subquery(spent), 0, output_field=models.BigIntegerField()))
        .annotate(remaining=F("amount") - F("spent"))
    )


def tranches_with_disbursed(queryset=None):
    paid = (
        Disbursement.objects.filter(tranche=OuterRef("pk"))
        .order_by()
        .values("tranche")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    queryset = Tranche.objects.all() if queryset is None else queryset
    return queryset.annotate(disbursed=Coalesce(Subquery(paid), 0, output_field=models.BigIntegerField()))


@dataclass
class AllocationYearRow:
    year: int
    recipient_unit_id: int | None
    recipient_organization_id: int | None
    recipient: str
    allocated: int = 0
    spent: int = 0

    @property
    def remaining(self) -> int:
        return self.allocated - self.spent


def allocations_by_year(allocation_queryset) -> list[AllocationYearRow]:
    """Per year and recipient (locality or agency), for the allocations of `allocation_queryset`:
    allocated, spent and remaining. Two aggregate queries. Newest year first, then by recipient."""
    keys = ("year", "recipient_unit", "recipient_organization")
    names = ("recipient_unit__name", "recipient_organization__name")
    rows: dict[tuple, AllocationYearRow] = {}
    allocated = allocation_queryset.order_by().values(*keys, *names).annotate(total=Sum("amount"))
    for entry in allocated:
        key = tuple(entry[k] for k in keys)
        row = rows.get(key)
        if row is None:
            recipient = entry["recipient_unit__name"] or entry["recipient_organization__name"] or ""
            if entry["recipient_unit__name"] and entry["recipient_organization__name"]:
                recipient = f"{entry['recipient_unit__name']} — {entry['recipient_organization__name']}"
            row = rows[key] = AllocationYearRow(
                entry["year"], entry["recipient_unit"], entry["recipient_organization"], recipient
            )
        row.allocated += entry["total"] or 0
    spent = (
        AllocationSpending.objects.filter(allocation__in=allocation_queryset.order_by().values("pk"))
        .order_by()
        .values(*(f"allocation__{k}" for k in keys))
        .annotate(total=Sum("amount"))
    )
    for entry in spent:
        key = tuple(entry[f"allocation__{k}"] for k in keys)
        if key in rows:
            rows[key].spent += entry["total"] or 0
    return sorted(rows.values(), key=lambda r: (-r.year, r.recipient))
