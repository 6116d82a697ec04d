"""`stims demo`: realistic demo data from the seed articles, for every domain, idempotently.

Each builder of `stims.demo` has `load(stdout) -> None`; they run in the order of `BUILDERS`, each in
its own transaction (units must already be loaded: `stims load_units`). A builder may also have
`finish(stdout)`, called after every builder has loaded (the accounts builder prints the sign-in
table there).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stims.demo import accounts, initiatives, iso, meetings, orgs, registries, sttasks
from stims.geo.models import AdminUnit

# The order the apps are installed in, as `stims demo` has always run them.
BUILDERS = (accounts, orgs, registries, sttasks, meetings, iso, initiatives)


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo data and demo users; safe to run repeatedly."

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            raise CommandError("No administrative units yet: run `stims load_units` first.")
        for module in BUILDERS:
            with transaction.atomic():
                module.load(self.stdout)
        for module in BUILDERS:
            if hasattr(module, "finish"):
                module.finish(self.stdout)
