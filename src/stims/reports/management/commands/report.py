"""`stims report TYPE --period 2023 [--unit "Huyện Ba Chẽ"] --format docx|xlsx|pdf|forms -o FILE`: the
same report as the page (the same figures and files), for scheduled reports and scripts; made with
deployment-wide view rights unless `--user` names whose rights to use. `stims report --list` names the
types."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from stims.geo.models import AdminUnit
from stims.geo.services import home_province
from stims.reports import documents, periods, services
from stims.reports.figures import compute


class Everything:
    """The command's own reader: sees every record, as a superuser does (it is not a stored user)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None

    def __str__(self) -> str:
        return "stims report"


class Command(BaseCommand):
    help = "Generate a periodic report (DOCX, XLSX, PDF or the statistical forms) from the data."

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help="Report type (see --list).")
        parser.add_argument("--list", action="store_true", help="List the report types.")
        parser.add_argument("--period", help="2023; 3/2023 (month or quarter); 01/02/2023-30/06/2023.")
        parser.add_argument("--unit", help="A locality's name or id (default: the home province).")
        parser.add_argument("--format", default="docx", choices=[*services.EXTENSIONS])
        parser.add_argument("--user", help="Whose permissions limit the figures (username).")
        parser.add_argument("--number", default="", help="The report's number, e.g. 125/BC-SKHCN.")
        parser.add_argument("-o", "--output", help="The file to write.")

    def handle(self, *args, **options):
        if options["list"]:
            for key, (label, example) in periods.KINDS.items():
                self.stdout.write(f"{key:8} {label} (--period {example})")
            return
        kind = options["kind"]
        if not kind or not options["period"] or not options["output"]:
            raise CommandError("Give TYPE, --period and -o FILE (or --list).")
        try:
            period = periods.parse(kind, options["period"])
        except periods.PeriodError as exc:
            raise CommandError(str(exc)) from exc
        unit = self.unit(options["unit"])
        user = Everything()
        if options["user"]:
            user = get_user_model()._default_manager.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
            if not services.may_report_on(user, unit):
                raise CommandError(f"{user} may not report on {unit.name}.")
        data = compute(unit, period, user)
        try:
            content = services.render(data, options["format"], data.summary(), options["number"])
        except documents.PdfUnavailable as exc:
            raise CommandError(str(exc)) from exc
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"{options['output']}: {data.unit.name}, {period.label}, digest {data.digest[:12]}")

    def unit(self, value: str | None) -> AdminUnit:
        if not value:
            unit = home_province()
            if unit is None:
                raise CommandError("The home province is not loaded (stims load_units).")
            return unit
        query = Q(pk=int(value)) if value.isdigit() else Q(name__iexact=value)
        units = list(AdminUnit.objects.filter(query).order_by("generation", "level")[:5])
        if not units:
            raise CommandError(f"No locality named {value!r}.")
        return units[0]
