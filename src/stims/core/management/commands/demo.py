"""`stims demo`: realistic demo data from the seed articles, for every domain, idempotently.

Each domain app may have a `demo` module with `load(stdout) -> None`; they run in INSTALLED_APPS
order (units must already be loaded: `stims load_units`). A module may also have `finish(stdout)`,
called after every app has loaded (the accounts app prints the sign-in table there).
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stims.geo.models import AdminUnit


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo data and demo users; safe to run repeatedly."

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            raise CommandError("No administrative units yet: run `stims load_units` first.")
        modules = []
        for config in apps.get_app_configs():
            if not config.name.startswith("stims."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(self.stdout)
            modules.append(module)
        for module in modules:
            if hasattr(module, "finish"):
                module.finish(self.stdout)
