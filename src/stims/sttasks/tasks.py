"""Background work of the S&T tasks domain (Django's tasks API, `django-tasks` backport).

`send_deadline_reminders` is enqueued daily (cron or a systemd timer runs `stims send_reminders`;
`stims db_worker` executes the queue). It is idempotent: each user hears about a given deadline once
when it comes within `STIMS_REMINDER_DAYS` (default 14) and once when it passes, however often the job runs.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
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
    from stims.accounts.models import Notification

    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        candidates = collect_reminders(today)
    if not candidates:
        return 0
    existing = set(
        Notification.objects.filter(key__in={key for _, key, _, _ in candidates}).values_list(
            "user_id", "key"
        )
    )
    new = []
    for user, key, message, link in candidates:
        if (user.pk, key) in existing:
            continue
        existing.add((user.pk, key))
        new.append(Notification(user=user, key=key, message=message[:500], link=link))
    with transaction.atomic():
        # ignore_conflicts: a second run at the same moment cannot make a duplicate or fail.
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    base_url = getattr(settings, "STIMS_BASE_URL", "").rstrip("/")
    unsent = Notification.objects.filter(emailed=False, key__in={n.key for n in new}).exclude(user__email="")
    for note in unsent.select_related("user"):
        if send_mail(
            subject=f"[STIMS] {note.message[:120]}",
            message=f"{note.message}\n\n{base_url}{note.link}",
            from_email=None,
            recipient_list=[note.user.email],
            fail_silently=True,
        ):
            Notification.objects.filter(pk=note.pk).update(emailed=True)
    return len(new)


@task()
def send_deadline_reminders(today_iso: str | None = None) -> int:
    today = datetime.date.fromisoformat(today_iso) if today_iso else None
    return send_reminders(today)
