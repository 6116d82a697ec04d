"""`stims backup [PATH]`: the whole database and the uploaded files in one archive (see stims.core.backup)."""

from django.core.management.base import BaseCommand

from stims.core import backup


class Command(BaseCommand):
    help = (
        "Write every table and every uploaded file to one archive (stims-YYYYmmdd-HHMMSS.tar.gz), by default "
        "in the data directory's backups/; restore it with `stims restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="archive file to write, or a directory to write it in")
        parser.add_argument("--database", default="default", help="database to back up (default: default)")

    def handle(self, *args, path=None, database="default", **options):
        summary = backup.backup(path, using=database)
        self.stdout.write(str(summary.path))
        self.stdout.write(
            f"{summary.rows} rows in {summary.tables} tables, {summary.files} uploaded files "
            f"({megabytes(summary.file_bytes)}); archive {megabytes(summary.size)}, {summary.seconds:.1f} s."
        )


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
