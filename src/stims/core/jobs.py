"""Background jobs whose worker died: putting them back in the queue.

`stims db_worker` (django-tasks-db) marks a job RUNNING when it claims it and SUCCESSFUL or FAILED when
it ends. A worker killed in between (SIGKILL, out of memory, the machine restarted) never gets to the
end, and nothing else ever looks at the job again: it stays RUNNING for ever. STIMS's jobs are written
to be run again safely (reminders are "notify once"), so such a job is simply made READY again.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def stale_jobs(older_than: datetime.timedelta, *, now: datetime.datetime | None = None):
    """Jobs RUNNING for longer than `older_than`: no job of ours takes that long, their worker is gone."""
    cutoff = (now or timezone.now()) - older_than
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)


def requeue_stale(
    older_than: datetime.timedelta, *, now: datetime.datetime | None = None
) -> list[DBTaskResult]:
    """Makes the stale RUNNING jobs READY again (the next free worker runs them); returns them.

    The ids of the workers that tried stay in `worker_ids`, so the job's admin page shows it was retried.
    """
    with transaction.atomic():
        jobs = list(stale_jobs(older_than, now=now).select_for_update())
        for job in jobs:
            job.status = TaskResultStatus.READY  # the next claim sets started_at again
            job.save(update_fields=["status"])
    return jobs
