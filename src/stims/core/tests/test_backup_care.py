"""Backups kept safely: encrypted with a passphrase from the environment, copied off-site by the configured
command, proved by a restore drill into a scratch database, and a full disk reported in one clear line."""

import errno
import json
import logging
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stims.core import backup, backup_care
from stims.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(settings, tmp_path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = settings.DATA_DIR / "uploads"
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.DATA_DIR / "backups").mkdir()
    (settings.MEDIA_ROOT / "note.pdf").write_bytes(b"%PDF-1.4 secret minutes")
    make_user("leader", username="lanh.dao")
    return settings.DATA_DIR


def test_with_a_passphrase_the_archive_is_encrypted_and_no_plain_copy_stays(data, monkeypatch, capsys):
    monkeypatch.setenv("STIMS_BACKUP_PASSPHRASE", "correct horse battery staple")
    call_command("backup", str(data / "backups"))
    written = sorted((data / "backups").iterdir())
    assert [p.name.endswith(".tar.gz.gpg") for p in written] == [True]
    encrypted = written[0]
    assert oct(encrypted.stat().st_mode & 0o777) == "0o600"
    raw = encrypted.read_bytes()
    assert b"lanh.dao" not in raw and b"secret minutes" not in raw
    with pytest.raises(tarfile.ReadError):
        tarfile.open(encrypted, "r:*")
    assert "encrypted" in capsys.readouterr().out

    plain = backup_care.decrypted(encrypted, data)
    manifest = backup_care.manifest_of(plain)
    assert manifest["stims_version"]
    assert any(entry["rows"] for entry in manifest["models"] if entry["model"] == "accounts.user")


def test_an_encrypted_archive_needs_the_right_passphrase(data, monkeypatch):
    monkeypatch.setenv("STIMS_BACKUP_PASSPHRASE", "right")
    call_command("backup", str(data / "backups"))
    encrypted = next((data / "backups").iterdir())
    monkeypatch.setenv("STIMS_BACKUP_PASSPHRASE", "")
    with pytest.raises(backup.BackupError, match="is encrypted: set STIMS_BACKUP_PASSPHRASE"):
        backup_care.decrypted(encrypted, data)
    with pytest.raises(backup.BackupError, match="gpg"):
        backup_care.decrypted(encrypted, data, secret="wrong")


def test_the_off_site_command_copies_the_archive(data, monkeypatch, tmp_path, capsys):
    remote = tmp_path / "remote"
    remote.mkdir()
    monkeypatch.setenv("STIMS_BACKUP_OFFSITE", f"cp {{path}} {remote}/")
    call_command("backup", str(data / "backups"), "--no-encrypt", "--offsite")
    local = next((data / "backups").iterdir())
    assert (remote / local.name).read_bytes() == local.read_bytes()
    assert "Copied off-site: cp " in capsys.readouterr().out


def test_a_failing_off_site_copy_is_an_error_and_a_log_line(data, monkeypatch, caplog):
    monkeypatch.setenv("STIMS_BACKUP_OFFSITE", "cp {path} /nonexistent/dir/")
    with (
        caplog.at_level(logging.ERROR, logger="stims.backup"),
        pytest.raises(CommandError, match="off-site copy failed"),
    ):
        call_command("backup", str(data / "backups"), "--no-encrypt", "--offsite")
    assert "backup failed: the off-site copy failed" in caplog.text


def test_a_full_disk_is_one_clear_error_and_one_log_line(data, monkeypatch, caplog):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(data / "backups" / "x"))

    monkeypatch.setattr(backup, "backup", full)
    with caplog.at_level(logging.ERROR, logger="stims.backup"), pytest.raises(CommandError) as refused:
        call_command("backup", str(data / "backups"))
    assert (
        str(refused.value) == "The backup was not written: the disk is full. Nothing was left half-written."
    )
    assert [r.getMessage() for r in caplog.records] == [
        f"backup failed: the disk is full ({data / 'backups' / 'x'})"
    ]


# `once`: the drill restores into a scratch SQLite file whatever database the suite runs on (the backup
# itself is proved on both databases by test_backup.py, `migrate` by test_migrating.py), so CI runs it on
# SQLite only.
@pytest.mark.slow
@pytest.mark.once
def test_the_restore_drill_restores_into_a_scratch_database_and_compares_counts(
    data, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("STIMS_BACKUP_PASSPHRASE", "drill")
    call_command("backup", str(data / "backups"))
    encrypted = next((data / "backups").iterdir())
    call_command("restore_drill", str(encrypted), "--into", f"sqlite:///{tmp_path / 'drill.sqlite3'}")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith(f"Restore drill passed: {encrypted.name} restored ")
    assert last.endswith("every count equal to the archive's.")


def test_the_drill_reports_counts_that_differ(data, monkeypatch, tmp_path):
    archive = backup.backup(data / "backups").path
    monkeypatch.setattr(
        backup_care.subprocess,
        "run",
        lambda *a, **k: type(
            "R", (), {"returncode": 0, "stdout": "COUNTS " + json.dumps({"accounts.user": 0}), "stderr": ""}
        )(),
    )
    report = backup_care.drill(archive, "sqlite:///unused")
    assert "accounts.user: archive 1, restored 0" in report["mismatches"]
