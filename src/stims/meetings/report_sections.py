"""Directives in the periodic reports: the cycles due in the period, done on time, late or not done (the
rules of the directives dashboard, `dashboards.unit_rows`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.reports import sections

from .dashboards import Period, totals, unit_rows
from .models import Directive


def directives_section(scope: sections.Scope) -> sections.Section:
    directives = permissions.restrict(Directive.objects.all(), scope.user).filter(
        scope.located("lead_organization__admin_unit__")
    )
    rows = unit_rows(directives, Period(scope.start, scope.end, scope.period.label), timezone.localdate())
    total = totals(rows)
    clauses = []
    if total.counted:
        clauses.append(
            f"hoàn thành đúng hạn {total.on_time}/{total.counted} nhiệm vụ được giao tại các buổi làm việc"
        )
    return sections.Section(
        figures=[
            sections.Figure("due", _("directives due in the period"), total.counted),
            sections.Figure("on_time", _("done on time"), total.on_time),
            sections.Figure("late", _("done late"), total.late),
            sections.Figure("not_done", _("not done"), total.not_done),
        ],
        tables=[
            sections.Table(
                "directives_by_unit",
                _("Directives due in the period by lead unit"),
                [_("Lead unit"), _("On time"), _("Late"), _("Not done")],
                [[r.name, r.on_time, r.late, r.not_done] for r in rows if r.counted],
            )
        ],
        clauses=clauses,
    )


sections.register(
    "directives",
    _("Directives of working sessions"),
    directives_section,
    order=70,
    depends_on=["meetings", "orgs"],
)
