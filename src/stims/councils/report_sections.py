"""Councils in the periodic reports: how many of the period's topics had their selection council."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core import permissions
from stims.reports import sections
from stims.sttasks.models import Task

from .models import Council, CouncilDossier, CouncilKind


def councils_section(scope: sections.Scope) -> sections.Section:
    tasks = permissions.restrict(Task.objects.all(), scope.user).filter(scope.located("ordering_unit__"))
    years = scope.years
    planned = tasks.filter(proposal_year__gte=years.start, proposal_year__lte=years.stop - 1)
    held = CouncilDossier.objects.filter(
        task=OuterRef("pk"),
        council__kind=CouncilKind.SELECTION,
        council__meeting_date__lte=scope.end,
    )
    counts = planned.annotate(selected=Exists(held)).aggregate(
        topics=Count("pk"), with_selection=Count("pk", filter=Q(selected=True))
    )
    dossiers = CouncilDossier.objects.filter(task__in=tasks)
    councils = Council.objects.filter(
        Exists(dossiers.filter(council=OuterRef("pk"))),
        meeting_date__gte=scope.start,
        meeting_date__lte=scope.end,
    )
    by_kind = councils.values("kind").annotate(n=Count("pk")).order_by("kind")
    kinds = dict(CouncilKind.choices)
    clauses = []
    if counts["topics"]:
        clauses.append(
            f"đã tổ chức hội đồng tư vấn tuyển chọn cho {counts['with_selection']}/{counts['topics']} "
            "nhiệm vụ của kế hoạch"
        )
    return sections.Section(
        figures=[
            sections.Figure("planned_tasks", _("tasks in the period's plan"), counts["topics"]),
            sections.Figure(
                "with_selection_council",
                _("of which with a selection council held"),
                counts["with_selection"],
            ),
            sections.Figure("councils_held", _("councils held in the period"), sum(r["n"] for r in by_kind)),
        ],
        tables=[
            sections.Table(
                "councils_by_kind",
                _("Councils held by kind"),
                [_("Kind"), pgettext_lazy("how many", "Number")],
                [[str(kinds.get(r["kind"], r["kind"])), r["n"]] for r in by_kind],
            )
        ],
        clauses=clauses,
    )


sections.register("councils", _("Councils"), councils_section, order=20, depends_on=["councils", "sttasks"])
