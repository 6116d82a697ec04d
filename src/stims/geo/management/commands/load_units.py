from django.core.management.base import BaseCommand

from stims.geo.loader import load_units


class Command(BaseCommand):
    help = (
        "Load Viet Nam's administrative units (pre- and post-2025) and the 2025 mapping from PyPI packages."
    )

    def handle(self, *args, **options):
        report = load_units()
        self.stdout.write(
            f"Units: {report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
            f"{report.successions_created} new successions."
        )
        for key, count in report.counts.items():
            self.stdout.write(f"  {key}: {count}")
