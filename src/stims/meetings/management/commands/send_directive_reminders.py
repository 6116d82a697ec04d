import datetime

from django.core.management.base import BaseCommand, CommandError

from stims.meetings.tasks import send_directive_reminders


class Command(BaseCommand):
    help = (
        "Queue the daily reminders of directive deadlines, coming and passed (run it from cron; "
        "`stims db_worker` executes it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (yyyy-mm-dd), e.g. to catch up.")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must be yyyy-mm-dd, not {date!r}") from exc
        result = send_directive_reminders.enqueue(date)
        self.stdout.write(f"Queued directive reminders ({result.id}).")
