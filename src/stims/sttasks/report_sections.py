"""The S&T tasks part of the periodic reports (stims.reports.sections): tasks ordered for the period's
year(s) by level and type, tasks carried over into it, and the tasks active in it by their state now."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core import permissions
from stims.reports import sections

from .models import Level, Task


def tasks_section(scope: sections.Scope) -> sections.Section:
    tasks = permissions.restrict(Task.objects.all(), scope.user).filter(scope.located("ordering_unit__"))
    years = scope.years
    ordered = Q(proposal_year__gte=years.start, proposal_year__lte=years.stop - 1)
    carried = Q(
        is_carried_over=True, carried_over_year__gte=years.start, carried_over_year__lte=years.stop - 1
    )
    active = Q(start_date__lte=scope.end) & (Q(end_date__isnull=True) | Q(end_date__gte=scope.start))
    no_programme = Q(programme__isnull=True)
    counts = tasks.aggregate(
        ordered=Count("pk", filter=ordered),
        ordered_provincial=Count("pk", filter=ordered & Q(level=Level.PROVINCIAL)),
        ordered_national=Count("pk", filter=ordered & Q(level=Level.NATIONAL)),
        carried_over=Count("pk", filter=carried),
        carried_over_provincial=Count("pk", filter=carried & Q(level=Level.PROVINCIAL) & no_programme),
        carried_over_programme=Count("pk", filter=carried & Q(programme__isnull=False)),
        carried_over_national=Count("pk", filter=carried & Q(level=Level.NATIONAL) & no_programme),
        active=Count("pk", filter=active),
    )
    by_type = (
        tasks.filter(ordered)
        .values("task_type__name", "level")
        .annotate(n=Count("pk"))
        .order_by("task_type__name", "level")
    )
    levels = dict(Level.choices)
    by_state = (
        tasks.filter(active)
        .values("state__name", "state__sort_order")
        .annotate(n=Count("pk"))
        .order_by("state__sort_order", "state__name")
    )
    by_locality = {
        row["ordering_unit"]: {"ordered": row["n"]}
        for row in tasks.filter(ordered).values("ordering_unit").annotate(n=Count("pk")).order_by()
        if row["ordering_unit"]
    }
    figures = [
        sections.Figure("ordered", _("tasks ordered for the period"), counts["ordered"]),
        sections.Figure("ordered_provincial", _("of which provincial tasks"), counts["ordered_provincial"]),
        sections.Figure("ordered_national", _("of which national tasks"), counts["ordered_national"]),
        sections.Figure("carried_over", _("tasks carried over into the period"), counts["carried_over"]),
        sections.Figure(
            "carried_over_provincial",
            _("carried over: provincial topics and projects"),
            counts["carried_over_provincial"],
        ),
        sections.Figure(
            "carried_over_programme",
            _("carried over: projects of a programme"),
            counts["carried_over_programme"],
        ),
        sections.Figure(
            "carried_over_national", _("carried over: national tasks"), counts["carried_over_national"]
        ),
        sections.Figure("active", _("tasks under way in the period"), counts["active"]),
    ]
    clauses = []
    if counts["ordered"]:
        clauses.append(
            f"có {counts['ordered']} nhiệm vụ KH&CN được đặt hàng, đề xuất "
            f"(trong đó {counts['ordered_provincial']} nhiệm vụ cấp tỉnh)"
        )
    if counts["carried_over"]:
        clauses.append(
            f"tiếp tục triển khai {counts['carried_over']} nhiệm vụ chuyển tiếp "
            f"({counts['carried_over_provincial']} nhiệm vụ cấp tỉnh, "
            f"{counts['carried_over_programme']} dự án thuộc chương trình, "
            f"{counts['carried_over_national']} nhiệm vụ cấp quốc gia)"
        )
    state_rows = [[row["state__name"], row["n"]] for row in by_state]
    return sections.Section(
        figures=figures,
        tables=[
            sections.Table(
                "tasks_by_type",
                _("Tasks ordered by type and level"),
                [_("Type"), _("Level"), pgettext_lazy("how many", "Number")],
                [
                    [row["task_type__name"], str(levels.get(row["level"], row["level"])), row["n"]]
                    for row in by_type
                ],
            ),
            sections.Table(
                "tasks_by_state",
                _("Tasks under way by state"),
                [_("State"), pgettext_lazy("how many", "Number")],
                state_rows,
            ),
        ],
        clauses=clauses,
        chart=sections.Chart(
            str(_("Tasks under way by state")), [r[0] for r in state_rows], [r[1] for r in state_rows]
        )
        if state_rows
        else None,
        by_locality=by_locality,
    )


sections.register("tasks", _("S&T tasks"), tasks_section, order=10, depends_on=["sttasks"])
