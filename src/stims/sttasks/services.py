"""Workflows around a task that are not steps of the state machine (see `workflow.py` for those)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from stims.core.dates import add_months


def progress_due_dates(start: datetime.date, end: datetime.date, every_months: int) -> list[datetime.date]:
    """Due dates of periodic progress reports: every `every_months` from the start, before the end."""
    dates, number = [], 1
    while True:
        due = add_months(start, every_months * number)
        if due >= end:
            return dates
        dates.append(due)
        number += 1


def schedule_progress_reports(task) -> int:
    """Create the progress reports a running task owes (missing ones only); returns how many were added."""
    from .models import ProgressReport

    if not (task.start_date and task.end_date):
        return 0
    existing = set(task.progress_reports.values_list("due_on", flat=True))
    added = [
        ProgressReport(
            task=task,
            due_on=due,
            period=_("Report %(number)s (due %(date)s)") % {"number": number, "date": f"{due:%d/%m/%Y}"},
        )
        for number, due in enumerate(
            progress_due_dates(task.start_date, task.end_date, task.progress_report_months), 1
        )
        if due not in existing
    ]
    ProgressReport.objects.bulk_create(added)
    return len(added)
