"""Results in the periodic reports: results handed over in the period and results applied."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.reports import sections

from .models import ApplicationReport, ApplicationStatus, Handover, TaskResult


def results_section(scope: sections.Scope) -> sections.Section:
    located = scope.located("task__ordering_unit__")
    results = permissions.restrict(TaskResult.objects.all(), scope.user).filter(located)
    handovers = permissions.restrict(Handover.objects.all(), scope.user).filter(
        result__in=results, handed_over_on__gte=scope.start, handed_over_on__lte=scope.end
    )
    handed = handovers.aggregate(results=Count("result", distinct=True), records=Count("pk"))
    years = scope.years
    applications = permissions.restrict(ApplicationReport.objects.all(), scope.user).filter(
        result__in=results, year__gte=years.start, year__lte=years.stop - 1
    )
    applied = applications.aggregate(
        applied=Count("result", distinct=True, filter=Q(status=ApplicationStatus.APPLIED)),
        replicated=Count("result", distinct=True, filter=Q(status=ApplicationStatus.REPLICATED)),
    )
    receivers = (
        handovers.values("receiving_organization__name", "receiving_unit__name")
        .annotate(n=Count("result", distinct=True))
        .order_by("receiving_organization__name", "receiving_unit__name")
    )
    clauses = []
    if handed["results"]:
        clauses.append(f"Sở đã bàn giao {handed['results']} kết quả nhiệm vụ KH&CN cho các đơn vị ứng dụng")
    if applied["applied"] or applied["replicated"]:
        clauses.append(
            f"{applied['applied']} kết quả được ứng dụng và {applied['replicated']} kết quả được nhân rộng"
        )
    return sections.Section(
        figures=[
            sections.Figure("handed_over", _("results handed over"), handed["results"]),
            sections.Figure("applied", _("results applied"), applied["applied"]),
            sections.Figure("replicated", _("results replicated"), applied["replicated"]),
        ],
        tables=[
            sections.Table(
                "handovers_by_receiver",
                _("Results handed over by receiver"),
                [_("Receiver"), _("Results")],
                [
                    [r["receiving_organization__name"] or r["receiving_unit__name"] or "—", r["n"]]
                    for r in receivers
                ],
            )
        ],
        clauses=clauses,
    )


sections.register(
    "results",
    _("Results handed over and applied"),
    results_section,
    order=30,
    depends_on=["results", "sttasks"],
)
