import datetime

from django.core.management.base import BaseCommand, CommandError

from stims.inspections.reminders import send_quality_reminders


class Command(BaseCommand):
    help = (
        "Tell the inspectors and the quality division about measuring instruments due for verification "
        "and radiation licences expiring within N days (run it daily from cron; nobody hears twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="How many days ahead to look (default 30).")
        parser.add_argument("--date", help="Pretend today is this date (yyyy-mm-dd).")

    def handle(self, *args, days=30, date=None, **options):
        if days < 0:
            raise CommandError("--days cannot be negative")
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must be yyyy-mm-dd, not {date!r}") from exc
        found = send_quality_reminders(days, today)
        self.stdout.write(
            f"{found['instruments']} instrument(s) due, {found['licences']} licence(s) expiring; "
            f"{found['sent']} new notification(s)."
        )
