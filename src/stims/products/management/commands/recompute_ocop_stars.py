from django.core.management.base import BaseCommand

from stims.products.services import recompute_stars


class Command(BaseCommand):
    help = "Re-derive the stars of every OCOP evaluation from the star bands (after the bands changed)."

    def handle(self, *args, **options):
        changed = recompute_stars()
        self.stdout.write(f"{changed} evaluation(s) changed.")
