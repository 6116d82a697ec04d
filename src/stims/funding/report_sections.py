"""Budget in the periodic reports: S&T funds allocated to localities and paid to tasks in the period."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.reports import sections

from .models import Allocation, AllocationSpending, Disbursement


def funding_section(scope: sections.Scope) -> sections.Section:
    years = scope.years
    allocations = permissions.restrict(Allocation.objects.all(), scope.user).filter(
        scope.located("recipient_unit__"), year__gte=years.start, year__lte=years.stop - 1
    )
    allocated = allocations.aggregate(total=Sum("amount"))["total"] or 0
    spent = (
        permissions.restrict(AllocationSpending.objects.all(), scope.user)
        .filter(allocation__in=allocations, spent_on__gte=scope.start, spent_on__lte=scope.end)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    paid = (
        permissions.restrict(Disbursement.objects.all(), scope.user)
        .filter(scope.located("task__ordering_unit__"), paid_on__gte=scope.start, paid_on__lte=scope.end)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    rows = (
        allocations.values("recipient_unit__name", "year")
        .annotate(total=Sum("amount"))
        .order_by("year", "recipient_unit__name")
    )
    clauses = []
    if allocated:
        clauses.append(
            f"kinh phí sự nghiệp KH&CN bố trí cho địa phương là {allocated:,} đồng".replace(",", ".")
        )
    return sections.Section(
        figures=[
            sections.Figure("allocated", _("S&T funds allocated to localities (VND)"), allocated, money=True),
            sections.Figure("spent", _("of which spent in the period (VND)"), spent, money=True),
            sections.Figure("disbursed", _("paid to tasks in the period (VND)"), paid, money=True),
        ],
        tables=[
            sections.Table(
                "allocations",
                _("S&T funds allocated by locality"),
                [_("Locality"), _("Year"), _("Amount (VND)")],
                [[r["recipient_unit__name"] or "—", r["year"], r["total"]] for r in rows],
            )
        ],
        clauses=clauses,
    )


sections.register("funding", _("Budget"), funding_section, order=40, depends_on=["funding", "sttasks"])
