"""`stims backup [PATH]`: the whole database and the uploaded files in one archive (see stims.core.backup),
encrypted when STIMS_BACKUP_PASSPHRASE is set, and copied off-site with --offsite (stims.core.backup_care)."""

import errno
import logging

from django.core.management.base import BaseCommand, CommandError

from stims.core import backup, backup_care

logger = logging.getLogger("stims.backup")


class Command(BaseCommand):
    help = (
        "Write every table and every uploaded file to one archive (stims-YYYYmmdd-HHMMSS.tar.gz), by default "
        "in the data directory's backups/, encrypted with gpg when STIMS_BACKUP_PASSPHRASE is set (.tar.gz.gpg); "
        "restore it with `stims restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="archive file to write, or a directory to write it in")
        parser.add_argument("--database", default="default", help="database to back up (default: default)")
        parser.add_argument(
            "--encrypt",
            action="store_true",
            default=None,
            help="encrypt (the default when STIMS_BACKUP_PASSPHRASE is set)",
        )
        parser.add_argument(
            "--no-encrypt", dest="encrypt", action="store_false", help="write a plain archive"
        )
        parser.add_argument(
            "--offsite",
            action="store_true",
            help="then copy the archive with the STIMS_BACKUP_OFFSITE command",
        )

    def handle(self, *args, path=None, database="default", encrypt=None, offsite=False, **options):
        try:
            summary = backup.backup(path, using=database)
            archive = summary.path
            if encrypt if encrypt is not None else bool(backup_care.passphrase()):
                archive = backup_care.encrypt(archive)
            copied = backup_care.copy_offsite(archive) if offsite else ""
        except OSError as error:
            reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
            logger.error("backup failed: %s (%s)", reason, getattr(error, "filename", "") or "")
            raise CommandError(
                f"The backup was not written: {reason}. Nothing was left half-written."
            ) from error
        except CommandError as error:
            logger.error("backup failed: %s", error)
            raise
        self.stdout.write(str(archive))
        self.stdout.write(
            f"{summary.rows} rows in {summary.tables} tables, {summary.files} uploaded files "
            f"({megabytes(summary.file_bytes)}); archive {megabytes(archive.stat().st_size)}"
            f"{', encrypted' if archive.name.endswith(backup_care.ENCRYPTED_SUFFIX) else ''}, {summary.seconds:.1f} s."
        )
        if copied:
            self.stdout.write(f"Copied off-site: {copied}")
        logger.info("backup written: %s (%s rows)", archive.name, summary.rows)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
