"""`stims demo`: realistic demo data from the seed articles, for every domain, idempotently.

Each builder of `stims.demo` has `load(stdout) -> None`; they run in the order of `BUILDERS`, each in
its own transaction (units must already be loaded: `stims load_units`). A builder may also have
`finish(stdout)`, called after every builder has loaded (the accounts builder prints the sign-in
table there).
"""

from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from stims.accounts import notify
from stims.demo import (
    accounts,
    home,
    initiatives,
    innovation,
    inspections,
    iso,
    meetings,
    orgs,
    portal,
    programmes,
    registries,
    sttasks,
)
from stims.geo.models import AdminUnit

# The order the apps are installed in, as `stims demo` has always run them; the home pages' work last.
BUILDERS = (
    accounts,
    orgs,
    registries,
    sttasks,
    meetings,
    inspections,
    iso,
    initiatives,
    programmes,
    innovation,
    portal,
    home,
)


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo data and demo users; safe to run repeatedly."

    def handle(self, *args, **options):
        # What the demo stores in words (the reasons in the change history, notification texts) reads in the
        # deployment's language, as when people do it in the app: a command runs in English otherwise.
        with translation.override(settings.LANGUAGE_CODE):
            self.build()

    def build(self):
        if not AdminUnit.objects.exists():
            raise CommandError("No administrative units yet: run `stims load_units` first.")
        for module in BUILDERS:
            # The demo's history (steps taken years ago, directives of past sessions) tells nobody; only
            # the work left for the home pages (`home`) notifies, as it would when done today.
            quiet = notify.muted() if module is not home else nullcontext()
            with quiet, transaction.atomic():
                module.load(self.stdout)
        for module in BUILDERS:
            if hasattr(module, "finish"):
                module.finish(self.stdout)
