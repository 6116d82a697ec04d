import datetime

from django.core.management.base import BaseCommand, CommandError

from stims.sttasks.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Queue the daily deadline reminders of S&T tasks (run it from cron; `stims db_worker` executes it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (yyyy-mm-dd), e.g. to catch up.")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must be yyyy-mm-dd, not {date!r}") from exc
        result = send_deadline_reminders.enqueue(date)
        self.stdout.write(f"Queued reminders ({result.id}).")
