"""`stims restore PATH [--yes]`: replace the database and the uploaded files with an archive's."""

import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from stims.core import backup, backup_care


class Command(BaseCommand):
    help = (
        "Replace every table and every uploaded file with those of a `stims backup` archive, after checking "
        "it. A database that already holds data is replaced only with --yes or after confirmation."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="archive written by `stims backup` (.tar.gz, or .tar.gz.gpg)")
        parser.add_argument("--yes", action="store_true", help="replace a database that already holds data")
        parser.add_argument(
            "--database", default="default", help="database to restore into (default: default)"
        )

    def handle(self, *args, path, yes=False, database="default", **options):
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="stims-restore-") as scratch:
            # An encrypted archive is decrypted next to nothing else (a private scratch directory), then removed.
            plain = backup_care.decrypted(Path(path), Path(scratch))
            manifest = backup.restore(
                plain, replace=yes, confirm=self.confirm if sys.stdin.isatty() else None, using=database
            )
        loaded = manifest["loaded"]
        self.stdout.write(
            f"Restored {sum(loaded.values())} rows in {len(loaded)} tables and "
            f"{sum(1 for name in manifest['files'] if name.startswith(backup.UPLOADS_DIR + '/'))} uploaded files "
            f"from the backup of {manifest['created_at']} (STIMS {manifest['stims_version']}, "
            f"{manifest['database_vendor']}) in {time.monotonic() - started:.1f} s."
        )

    def confirm(self) -> bool:
        answer = input(
            "The database already holds data. Restoring deletes all of it and every uploaded file, and puts the "
            "backup's in their place.\nType 'yes' to continue, or anything else to stop: "
        )
        return answer.strip().lower() == "yes"
