"""`stims requeue_stale_jobs --older-than MINUTES`: background jobs left RUNNING by a dead worker go back
to the queue (see stims.core.jobs)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from stims.core import jobs


class Command(BaseCommand):
    help = (
        "Put back in the queue the background jobs still marked running after MINUTES: their worker was "
        "killed or its machine restarted. Run it when a worker has died, or from cron every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MINUTES",
            help="jobs started more than this many minutes ago (default 60; longer than any job runs)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list them, change nothing")

    def handle(self, *args, older_than=60, dry_run=False, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 minute: a running job would be run twice.")
        age = datetime.timedelta(minutes=older_than)
        found = list(jobs.stale_jobs(age)) if dry_run else jobs.requeue_stale(age)
        for job in found:
            self.stdout.write(
                f"{job.id} {job.task_path} started {job.started_at or '-'} by {','.join(job.worker_ids)}"
            )
        verb = "would be requeued" if dry_run else "requeued"
        self.stdout.write(f"{len(found)} stale job(s) {verb}.")
