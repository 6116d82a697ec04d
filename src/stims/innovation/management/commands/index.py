"""`stims index compute YEAR [--framework CODE] [--json]`, `stims index load_framework YEAR [--legacy]` and
`stims index remind [--date yyyy-mm-dd]` (daily: the data deadline reminders)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stims.innovation import pii, services
from stims.innovation.models import Framework


class Command(BaseCommand):
    help = "The local innovation index: compute a year's results, or load the shipped PII framework."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        compute = sub.add_parser("compute", help="Compute and print a year's index.")
        compute.add_argument("year", type=int)
        compute.add_argument("--framework", help="The framework's code (default: the year's province index).")
        compute.add_argument("--json", action="store_true", help="Print JSON, as the API returns it.")
        load = sub.add_parser("load_framework", help="Create (or complete) the PII framework of a year.")
        load.add_argument("year", type=int)
        load.add_argument("--legacy", action="store_true", help="Rank the 63 pre-2025 provinces.")
        remind = sub.add_parser("remind", help="Remind local officers of a near or passed data deadline.")
        remind.add_argument("--date", help="yyyy-mm-dd (default: today)")

    def handle(self, *args, **options):
        if options["action"] == "remind":
            import datetime

            from django.utils import timezone

            day = (
                datetime.date.fromisoformat(options["date"]) if options.get("date") else timezone.localdate()
            )
            self.stdout.write(f"{services.send_deadline_reminders(day)} reminders sent.")
            return
        if options["action"] == "load_framework":
            with transaction.atomic():
                fw, _ = Framework.objects.get_or_create(
                    code="PII",
                    year=options["year"],
                    defaults={
                        "name": "Chỉ số đổi mới sáng tạo cấp địa phương",
                        "legacy_units": options["legacy"],
                    },
                )
                pii.load(fw)
            self.stdout.write(
                f"{fw}: {pii.PILLAR_COUNT} pillars, {pii.GROUP_COUNT} groups, {pii.INDICATOR_COUNT} indicators."
            )
            return
        try:
            fw = services.find_framework(options["year"], options.get("framework"))
        except Framework.DoesNotExist:
            raise CommandError(f"No index framework for {options['year']}.") from None
        res = services.results(fw)
        if options["json"]:
            self.stdout.write(json.dumps(res.as_json(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{fw}{' (synthetic data)' if fw.synthetic else ''}")
        for row in res.rows():
            self.stdout.write(
                f"{row['rank'] or '-':>4}  {row['unit_name']:<40} {row['overall'] if row['overall'] is not None else '-':>7}"
                f"  in {row['input']}  out {row['output']}"
            )
