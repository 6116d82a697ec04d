"""`stims restore_drill [ARCHIVE] --into DATABASE_URL`: prove that a backup restores.

Restores the archive (by default the newest in the data directory's backups/) into an empty scratch
database and a scratch data directory, in a separate process, and compares every table's row count with
the archive's manifest. The configured database and files are never touched. Run it monthly (the
deployment guide's timer) and after every upgrade.
"""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stims.core import backup_care
from stims.core.health import newest_backup

logger = logging.getLogger("stims.backup")


class Command(BaseCommand):
    help = "Restore a backup into a scratch database and compare its row counts with the archive's."

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="archive to drill (default: the newest in backups/)")
        parser.add_argument(
            "--into",
            required=True,
            help="an EMPTY scratch database, e.g. postgres://stims@127.0.0.1/stims_drill or sqlite:////tmp/drill.sqlite3",
        )

    def handle(self, *args, archive=None, into, **options):
        path = Path(archive) if archive else newest_backup()
        if path is None or not path.is_file():
            raise CommandError("No backup archive to drill.")
        report = backup_care.drill(path, into)
        if report["mismatches"]:
            logger.error("restore drill of %s FAILED: %s", path.name, "; ".join(report["mismatches"]))
            raise CommandError(
                "The restored counts differ from the archive's:\n" + "\n".join(report["mismatches"])
            )
        logger.info(
            "restore drill of %s passed: %s rows in %s tables", path.name, report["rows"], report["tables"]
        )
        self.stdout.write(
            f"Restore drill passed: {path.name} restored {report['rows']} rows in {report['tables']} tables, "
            "every count equal to the archive's."
        )
