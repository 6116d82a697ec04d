"""Background work of the S&T tasks domain (Django's tasks API, `django-tasks` backport).

`send_deadline_reminders` is enqueued daily (cron or a systemd timer runs `stims send_reminders`;
`stims db_worker` executes the queue). It is idempotent: each user hears about a given deadline once
when it comes within `STIMS_REMINDER_DAYS` (default 14) and once when it passes, however often the job runs.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task


def reminder_days() -> int:
    return int(getattr(settings, "STIMS_REMINDER_DAYS", 14))


def _recipients(task_obj, leaders) -> list:
    # The officer in charge follows the task; a task nobody follows goes to the department's leaders,
    # who should name an officer.
    return [task_obj.officer] if task_obj.officer_id and task_obj.officer.is_active else leaders


def collect_reminders(today: datetime.date) -> list[tuple]:
    """(user, key, message, link) for every deadline passed or coming within the reminder window."""
    from stims.accounts.models import User

    from . import deadlines
    from .models import Task

    leaders = list(
        User.objects.filter(
            is_active=True,
            role_assignments__role="leader",
            role_assignments__admin_unit__isnull=True,
            role_assignments__organization__isnull=True,
        ).distinct()
    )
    tasks = Task.objects.all()
    found = []
    for item in deadlines.overdue(tasks, today):
        message = _("Overdue: %(what)s of %(task)s was due on %(date)s.") % {
            "what": item.label,
            "task": item.task.code,
            "date": f"{item.due_on:%d/%m/%Y}",
        }
        for user in _recipients(item.task, leaders):
            found.append((user, f"{item.key}:overdue", message, item.task.get_absolute_url()))
    soon = deadlines.deadlines(
        tasks, today, start=today, end=today + datetime.timedelta(days=reminder_days() + 1)
    )
    for item in soon:
        message = _("Coming up: %(what)s of %(task)s is due on %(date)s.") % {
            "what": item.label,
            "task": item.task.code,
            "date": f"{item.due_on:%d/%m/%Y}",
        }
        for user in _recipients(item.task, leaders):
            found.append((user, f"{item.key}:soon", message, item.task.get_absolute_url()))
    return found


def send_reminders(today: datetime.date | None = None) -> int:
    """Create the notifications not sent before and e-mail them; returns how many were new."""
    from stims.accounts.notify import notify_each

    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        candidates = collect_reminders(today)
    return notify_each(candidates)


@task()
def send_deadline_reminders(today_iso: str | None = None) -> int:
    today = datetime.date.fromisoformat(today_iso) if today_iso else None
    return send_reminders(today)
