"""What happens to a backup archive after it is written: encryption, an off-site copy, a restore drill.

- **Encryption** with GnuPG (symmetric AES-256, the passphrase from `STIMS_BACKUP_PASSPHRASE`), a tool
  every Debian has and any administrator can use by hand (`gpg -d archive.tar.gz.gpg > archive.tar.gz`)
  without STIMS: an archive holds password hashes, API token digests and sessions. The plain archive
  never stays on disk: gpg reads it and it is removed once the encrypted file is complete.
- **Off-site copy**: `STIMS_BACKUP_OFFSITE` is a command with `{path}` for the archive, e.g.
  `rsync -a {path} backup@10.0.0.9:/srv/stims-backups/` or `rclone copy {path} s3remote:stims-backups`.
  It runs without a shell (arguments split like a shell would, no expansion).
- **Restore drill**: restores an archive into a scratch database and a scratch data directory in a
  separate `stims restore` process, then compares every table's row count with the archive's manifest.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import subprocess  # nosec B404 # gpg, the off-site command and `stims restore`, never through a shell
import sys
import tarfile
import tempfile
from pathlib import Path

from .backup import MANIFEST, BackupError

logger = logging.getLogger("stims.backup")

ENCRYPTED_SUFFIX = ".gpg"


def passphrase() -> str:
    return os.environ.get("STIMS_BACKUP_PASSPHRASE", "")


def _gpg(args: list[str], secret: str) -> None:
    try:
        result = subprocess.run(  # nosec B603 B607 # fixed arguments, no shell
            [
                "gpg",
                "--batch",
                "--yes",
                "--quiet",
                "--pinentry-mode",
                "loopback",
                "--passphrase-fd",
                "0",
                *args,
            ],
            input=secret.encode(),
            capture_output=True,
            timeout=3600,
            check=False,
        )
    except FileNotFoundError as error:
        raise BackupError(
            "gpg is not installed: `apt-get install gnupg`, or unset STIMS_BACKUP_PASSPHRASE."
        ) from error
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["gpg failed"]
        raise BackupError(f"gpg: {message[0]}")


def encrypt(archive: Path, secret: str | None = None) -> Path:
    """Encrypts `archive` to `archive.gpg` (mode 0600) and removes the plain archive."""
    secret = secret if secret is not None else passphrase()
    if not secret:
        raise BackupError("STIMS_BACKUP_PASSPHRASE is not set: nothing to encrypt with.")
    target = archive.with_name(archive.name + ENCRYPTED_SUFFIX)
    partial = target.with_name(f".{target.name}.partial")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        _gpg(["--symmetric", "--cipher-algo", "AES256", "--output", str(partial), str(archive)], secret)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    archive.unlink()
    return target


def decrypted(path: Path, into: Path, secret: str | None = None) -> Path:
    """The plain archive of `path`: itself, or decrypted into the directory `into` (mode 0600)."""
    if not path.name.endswith(ENCRYPTED_SUFFIX):
        return path
    secret = secret if secret is not None else passphrase()
    if not secret:
        raise BackupError(
            f"{path.name} is encrypted: set STIMS_BACKUP_PASSPHRASE to the passphrase it was made with."
        )
    target = into / path.name[: -len(ENCRYPTED_SUFFIX)]
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    _gpg(["--decrypt", "--output", str(target), str(path)], secret)
    return target


def copy_offsite(archive: Path, command: str | None = None) -> str:
    """Runs the off-site copy command for `archive`; returns the command run."""
    command = command if command is not None else os.environ.get("STIMS_BACKUP_OFFSITE", "")
    if not command:
        raise BackupError(
            "STIMS_BACKUP_OFFSITE is not set (e.g. rsync -a {path} backup@host:/srv/stims-backups/)."
        )
    if "{path}" not in command:
        raise BackupError("STIMS_BACKUP_OFFSITE must contain {path}, where the archive goes.")
    args = [part.replace("{path}", str(archive)) for part in shlex.split(command)]
    try:
        result = subprocess.run(args, capture_output=True, timeout=6 * 3600, check=False)  # nosec B603
    except FileNotFoundError as error:
        raise BackupError(f"the off-site copy command {args[0]!r} is not installed") from error
    if result.returncode != 0:
        tail = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or [
            f"exit {result.returncode}"
        ]
        raise BackupError(f"the off-site copy failed: {tail[0]}")
    return shlex.join(args)


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive, "r:*") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive.name} has no manifest")
        return json.loads(member.read())


def drill(archive: Path, database_url: str) -> dict:
    """Restores `archive` into `database_url` (an empty scratch database) with a scratch data directory,
    in a separate process, then compares each table's rows with the manifest. Returns
    {"tables": n, "rows": n, "mismatches": [...]}; never touches the configured database."""
    with tempfile.TemporaryDirectory(prefix="stims-drill-") as scratch:
        scratch_path = Path(scratch)
        plain = decrypted(archive, scratch_path)
        manifest = manifest_of(plain)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "STIMS_DATA_DIR": str(scratch_path / "data"),
            "DATABASE_REPLICA_URL": "",
        }
        code = (
            "import json, sys; from stims.__main__ import main; "
            "main(['restore', '--yes', sys.argv[1]]); "
            "from django.apps import apps; from stims.core.backup import backed_up_models, model_key; "
            "print('COUNTS ' + json.dumps({model_key(m): m._default_manager.count() for m in backed_up_models()}))"
        )
        result = subprocess.run(  # nosec B603 # our own interpreter and module
            [sys.executable, "-c", code, str(plain)],
            env=env,
            capture_output=True,
            text=True,
            timeout=6 * 3600,
        )
        if result.returncode != 0:
            tail = (result.stderr.strip().splitlines() or ["restore failed"])[-1]
            raise BackupError(f"the drill's restore failed: {tail}")
        line = next(line for line in result.stdout.splitlines() if line.startswith("COUNTS "))
        counts = json.loads(line[len("COUNTS ") :])
    expected = {entry["model"]: entry["rows"] for entry in manifest["models"]}
    mismatches = [
        f"{model}: archive {rows}, restored {counts.get(model)}"
        for model, rows in sorted(expected.items())
        if counts.get(model) != rows
    ]
    return {"tables": len(expected), "rows": sum(expected.values()), "mismatches": mismatches}
