"""What a task owes and by when: periodic progress reports, its end date, and its acceptance.

Derived from the task, never typed in: a running task owes each progress report scheduled when it
started (`services.schedule_progress_reports`) and must reach acceptance by its end date; a task
under acceptance must be accepted within `STIMS_ACCEPTANCE_DAYS` (default 90) of its end date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.core.db import within

REPORT, END, ACCEPTANCE = "report", "end", "acceptance"
LABELS = {
    REPORT: _("Progress report"),
    END: _("End date (submit for acceptance)"),
    ACCEPTANCE: _("Acceptance"),
}
ACCEPTANCE_STATE = "acceptance"
LIST_LIMIT = 500  # rows of each kind a page lists; the counts above the list are exact


def acceptance_days() -> int:
    return int(getattr(settings, "STIMS_ACCEPTANCE_DAYS", 90))


@dataclass
class Deadline:
    task: object
    kind: str
    due_on: datetime.date
    today: datetime.date
    report: object = None

    @property
    def label(self):
        if self.report is not None:
            return f"{LABELS[REPORT]}: {self.report.period}"
        return LABELS[self.kind]

    @property
    def days_late(self) -> int:
        return max((self.today - self.due_on).days, 0)

    @property
    def key(self) -> str:
        return f"sttasks:{self.kind}:{self.task.pk}:{self.due_on.isoformat()}"


def _report_q(today) -> Q:
    from .models import ProgressReport

    reports = ProgressReport.objects.filter(
        submitted_on__isnull=True, task__state__is_running=True, due_on__lt=today
    )
    return Q(pk__in=reports.values("task_id"))


def overdue_q(today: datetime.date) -> Q:
    """Tasks with anything overdue on `today` (a filter for Task querysets)."""
    return (
        Q(state__is_running=True, end_date__lt=today)
        | Q(state__code=ACCEPTANCE_STATE, end_date__lt=today - datetime.timedelta(days=acceptance_days()))
        | _report_q(today)
    )


def _task_rows(tasks):
    return tasks.select_related("state", "officer", "task_type")


def deadlines(
    tasks, today: datetime.date, *, start: datetime.date | None = None, end: datetime.date
) -> list[Deadline]:
    """Deadlines of `tasks` falling in [start, end) (start None: any time before `end`), earliest first.

    Three queries whatever the number of tasks; each kind is capped at LIST_LIMIT rows.
    """
    from .models import ProgressReport

    def window(field):
        condition = Q(**{f"{field}__lt": end})
        if start is not None:
            condition &= Q(**{f"{field}__gte": start})
        return condition

    found: list[Deadline] = []
    for task in _task_rows(tasks.filter(window("end_date"), state__is_running=True)).order_by("end_date")[
        :LIST_LIMIT
    ]:
        found.append(Deadline(task, END, task.end_date, today))
    grace = datetime.timedelta(days=acceptance_days())
    accepting = tasks.filter(state__code=ACCEPTANCE_STATE, end_date__isnull=False)
    accepting = accepting.filter(end_date__lt=end - grace)
    if start is not None:
        accepting = accepting.filter(end_date__gte=start - grace)
    for task in _task_rows(accepting).order_by("end_date")[:LIST_LIMIT]:
        found.append(Deadline(task, ACCEPTANCE, task.end_date + grace, today))
    reports = (
        within(
            ProgressReport.objects.filter(
                window("due_on"), submitted_on__isnull=True, task__state__is_running=True
            ),
            "task",
            tasks,
        )
        .select_related("task__state", "task__officer", "task__task_type")
        .order_by("due_on")[:LIST_LIMIT]
    )
    for report in reports:
        found.append(Deadline(report.task, REPORT, report.due_on, today, report=report))
    found.sort(key=lambda d: (d.due_on, d.task.pk))
    return found


def task_deadlines(
    task, reports, today: datetime.date, *, start: datetime.date | None = None, end: datetime.date
) -> list[Deadline]:
    """`deadlines(<one task>, …)` for a task already on the page — loaded with its state, and its
    progress reports given — without a query (the task's page asks for its overdue and its coming
    deadlines: six queries before). The same rules as `deadlines`, which `test_deadlines` holds it to
    for every task of the demo data."""

    def inside(day: datetime.date | None) -> bool:
        return day is not None and day < end and (start is None or day >= start)

    found: list[Deadline] = []
    state = task.state
    if state.is_running and inside(task.end_date):
        found.append(Deadline(task, END, task.end_date, today))
    if state.code == ACCEPTANCE_STATE and task.end_date is not None:
        accepted_by = task.end_date + datetime.timedelta(days=acceptance_days())
        if inside(accepted_by):
            found.append(Deadline(task, ACCEPTANCE, accepted_by, today))
    if state.is_running:
        owed = sorted(
            (r for r in reports if r.submitted_on is None and inside(r.due_on)),
            key=lambda r: (r.due_on, r.pk),
        )
        found.extend(Deadline(task, REPORT, r.due_on, today, report=r) for r in owed[:LIST_LIMIT])
    found.sort(key=lambda d: d.due_on)
    return found


def overdue(tasks, today: datetime.date) -> list[Deadline]:
    return deadlines(tasks, today, end=today)


def upcoming(tasks, today: datetime.date, days: int = 30) -> list[Deadline]:
    return deadlines(tasks, today, start=today, end=today + datetime.timedelta(days=days))


def overdue_counts(tasks, today: datetime.date) -> dict[str, int]:
    """Exact numbers of overdue items of each kind (three COUNT queries)."""
    from .models import ProgressReport

    return {
        END: tasks.filter(state__is_running=True, end_date__lt=today).count(),
        ACCEPTANCE: tasks.filter(
            state__code=ACCEPTANCE_STATE, end_date__lt=today - datetime.timedelta(days=acceptance_days())
        ).count(),
        REPORT: within(
            ProgressReport.objects.filter(
                submitted_on__isnull=True, due_on__lt=today, task__state__is_running=True
            ),
            "task",
            tasks,
        ).count(),
    }
