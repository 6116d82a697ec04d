"""Inspections in the periodic reports: inspections done in the period, violations and fines."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core import permissions
from stims.reports import sections

from .models import Inspection, Sanction, Violation


def inspections_section(scope: sections.Scope) -> sections.Section:
    inspections = permissions.restrict(Inspection.objects.all(), scope.user).filter(
        scope.located("establishment__admin_unit__"),
        inspected_on__gte=scope.start,
        inspected_on__lte=scope.end,
    )
    done = inspections.count()
    violations = permissions.restrict(Violation.objects.all(), scope.user).filter(inspection__in=inspections)
    fines = (
        permissions.restrict(Sanction.objects.all(), scope.user)
        .filter(inspection__in=inspections)
        .aggregate(total=Sum("fine_vnd"))["total"]
        or 0
    )
    by_type = (
        violations.values("violation_type__name").annotate(n=Count("pk")).order_by("violation_type__name")
    )
    count = sum(r["n"] for r in by_type)
    clauses = [f"đã thanh tra, kiểm tra {done} cơ sở, phát hiện {count} vi phạm"] if done else []
    return sections.Section(
        figures=[
            sections.Figure("inspections", _("inspections done"), done),
            sections.Figure("violations", _("violations found"), count),
            sections.Figure("fines", _("fines imposed (VND)"), fines, money=True),
        ],
        tables=[
            sections.Table(
                "violations_by_type",
                _("Violations by type"),
                [_("Violation"), pgettext_lazy("how many", "Number")],
                [[r["violation_type__name"], r["n"]] for r in by_type],
            )
        ],
        clauses=clauses,
    )


sections.register("inspections", _("Inspections"), inspections_section, order=60, depends_on=["inspections"])
