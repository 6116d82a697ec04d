"""`stims import {products,ip,tasks} FILE --user U [--dry-run] [--json]`: an Excel import from the shell.

The same checks as the import page, as the named user (their role and units decide what they may
import and where): every row is read and checked without writing; then, unless --dry-run or any row
has an error, all rows are saved in one transaction. --json prints one object:

    {"kind": "products", "file": "…", "written": true, "rows": 120, "new": 118, "updated": 2,
     "errors": [{"row": 9, "column": "Số sao", "message": "…"}], "skipped": [{"row": 131, "reason": "total"}],
     "proposals": ["new cooperative “HTX …” (Huyện Ba Chẽ)"]}

"rows" counts the data rows read (title, header, blank, numbering and total rows aside). The exit
status is 1 when the workbook or any row has an error (and then nothing is written), 0 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from stims.core import imports
from stims.core.events import emit


class Command(BaseCommand):
    help = (
        "Import an Excel workbook of products, IP assets or tasks, with the same checks as the import page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", help="What the workbook lists: products, ip, tasks, establishments, iso or initiatives."
        )
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument("--user", required=True, help="Username of the user the import is made as.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the result as one JSON object.")
        parser.add_argument(
            "--update", action="store_true", help="Tasks: update tasks already on record (if the user may)."
        )
        parser.add_argument("--language", default="", help="Language of the messages (vi, en); default vi.")

    def handle(self, *args, **options):
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            return self.run(options)

    def run(self, options):
        kinds = imports.importers()
        if options["kind"] not in kinds:
            raise CommandError(
                _("Unknown import “%(kind)s”; choose one of: %(kinds)s")
                % {"kind": options["kind"], "kinds": ", ".join(sorted(kinds))}
            )
        importer = kinds[options["kind"]]
        try:
            user = get_user_model()._default_manager.get(username=options["user"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No active user “%(user)s”.") % {"user": options["user"]}) from None
        if not importer.allowed(user):
            raise CommandError(_("%(user)s may not import these records.") % {"user": options["user"]})
        path = Path(options["file"])
        result = {"kind": importer.kind, "file": str(path), "written": False}
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}) from exc
        resource = importer.resource(user, {"update_existing": options["update"]})
        try:
            outcome = resource.run(imports.read_for(resource, data), dry_run=options["dry_run"])
        except imports.ImportFileError as exc:
            result.update(
                rows=0, new=0, updated=0, errors=[{"row": None, "column": None, "message": str(exc)}]
            )
            return self.finish(result, failed=True, options=options)
        result.update(outcome.summary())
        result["written"] = not options["dry_run"] and not outcome.has_errors
        if result["written"]:
            emit(
                "core.import_finished",
                user=user,
                summary=importer.message(outcome),
                link=importer.list_url() or "",
            )
        return self.finish(result, failed=outcome.has_errors, options=options, outcome=outcome)

    def finish(self, result, *, failed, options, outcome=None):
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
        else:
            self.stdout.write(
                _("%(rows)d rows read: %(new)d new, %(updated)d to update, %(errors)d errors.")
                % {
                    "rows": result["rows"],
                    "new": result["new"],
                    "updated": result["updated"],
                    "errors": len(result["errors"]),
                }
            )
            for proposal in result.get("proposals", []):
                self.stdout.write("+ " + proposal)
            messages = outcome.errors if outcome is not None else [e["message"] for e in result["errors"]]
            for message in messages:
                self.stdout.write(message)
            if result["written"]:
                self.stdout.write(_("Imported: nothing else to do."))
            elif failed:
                self.stdout.write(_("Nothing was imported."))
            else:
                self.stdout.write(_("Dry run: nothing was written."))
        if failed:
            sys.exit(1)
