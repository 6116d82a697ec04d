"""`stims backup` / `stims restore`: every table and every uploaded file come back as they were, and a damaged,
unsafe or foreign archive — or a database in use, without --yes — is refused with nothing changed."""

import datetime
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from stims.accounts.models import User
from stims.core import backup
from stims.demo import sttasks as tasks_demo
from stims.meetings.models import SessionDocument, WorkingSession
from stims.orgs.models import Organization, OrganizationKind
from stims.sttasks.models import Document
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """This test's data directory, with one uploaded file already there."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = settings.DATA_DIR / "uploads"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "existing.pdf").write_bytes(PDF[:100])
    return settings.MEDIA_ROOT


def table_snapshot() -> dict[str, list[tuple]]:
    """Every row of every model's table (many-to-many and history tables included), read with plain SQL."""
    snapshot = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed or getattr(model, "not_backed_up", False):
                continue
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            snapshot[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return snapshot


def file_snapshot(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with its members (name -> bytes) passed through `change`."""
    with tarfile.open(archive) as source:
        members = {info.name: source.extractfile(info).read() for info in source if info.isfile()}
    change(members)
    with tarfile.open(target, "w:gz") as out:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            out.addfile(info, io.BytesIO(body))
    return target


@pytest.mark.slow
def test_a_demo_database_with_uploads_comes_back_identical_after_emptying_everything(
    media, tmp_path, monkeypatch
):
    # The demo of every domain, less Sơn La's 29 tasks carried over from 2021 (the slowest part; the other
    # 34 tasks go through the same workflow, councils, budgets and results).
    monkeypatch.setattr(tasks_demo, "_sl_carried_over", lambda: [])
    call_command("demo", stdout=io.StringIO())
    task_document = Document.objects.select_related("task").order_by("pk").first()
    task_document.file.save("Quyết định phê duyệt.pdf", ContentFile(PDF))
    session = WorkingSession.objects.order_by("pk").first()
    report = SessionDocument.objects.create(
        session=session, title="Báo cáo của huyện", issued_on=datetime.date(2023, 4, 27)
    )
    report.file.save("bao-cao.pdf", ContentFile(PDF[::-1]))
    (media / "documents" / "existing.pdf").unlink()
    (media / "documents" / "orphan.txt").write_text("kept even when no row names it", encoding="utf-8")
    tables, files = table_snapshot(), file_snapshot(media)
    # The data spans the domains: directory, accounts, registries, tasks, councils, funding, results, meetings.
    for table in (
        "orgs_organization",
        "accounts_user",
        "products_product",
        "sttasks_task",
        "councils_score",
        "funding_budgetline",
        "results_handover",
        "meetings_directive",
        "sttasks_historicaltask",
        "geo_adminunit",
        "django_content_type",
        "auth_permission",
    ):
        assert tables[table], table
    assert any(
        model._meta.auto_created and tables[model._meta.db_table]
        for model in apps.get_models(include_auto_created=True)
    ), "no many-to-many rows to test with"
    # The two files saved here and the orphan, beside what the demo uploads itself (the portal's news
    # images in their sizes).
    assert len(files) >= 3 and {"documents/orphan.txt"} <= {str(path) for path in files}

    (tmp_path / "out").mkdir()
    summary = backup.backup(tmp_path / "out")
    assert summary.path.parent == tmp_path / "out" and summary.path.name.startswith("stims-")
    assert summary.rows == sum(map(len, tables.values())) and summary.files == len(files)

    backup.empty_tables(backup.backed_up_models())
    shutil.rmtree(media)
    assert not any(table_snapshot().values())

    manifest = backup.restore(summary.path)

    assert table_snapshot() == tables
    assert file_snapshot(media) == files
    assert manifest["loaded"]["sttasks.task"] == len(tables["sttasks_task"])
    assert task_document.file.storage.open(Document.objects.get(pk=task_document.pk).file.name).read() == PDF
    # The id sequences follow the restored rows: a new record gets a new id.
    newest = Organization.objects.order_by("-pk").values_list("pk", flat=True).first()
    created = Organization.objects.create(
        name="Tổ chức mới sau khôi phục",
        kind=OrganizationKind.ENTERPRISE,
        admin_unit=unit("Huyện Ba Chẽ", legacy=True),
    )
    assert created.pk > newest


@pytest.fixture(scope="module")
def small(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """An archive of a little data and two uploads, made once for the module (its rows are rolled back)
    in the test database (`django_db_setup`: asked for first, it would otherwise write to the configured one)."""
    root = tmp_path_factory.mktemp("small")
    (root / "uploads" / "documents").mkdir(parents=True)
    (root / "uploads" / "documents" / "a.pdf").write_bytes(PDF)
    (root / "uploads" / "documents" / "b.txt").write_text("biên bản", encoding="utf-8")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=root / "uploads"), transaction.atomic():
        make_user("specialist", username="chuyenvien")
        Organization.objects.create(
            name="Hợp tác xã Ba Chẽ",
            kind=OrganizationKind.COOPERATIVE,
            admin_unit=unit("Huyện Ba Chẽ", legacy=True),
        )
        archive = backup.backup(root / "small.tar.gz").path
        transaction.set_rollback(True)
    return archive


def assert_refused(archive, match, *, media, **kwargs):
    tables, files = table_snapshot(), file_snapshot(media)
    with pytest.raises(backup.BackupError, match=match):
        backup.restore(archive, **kwargs)
    assert table_snapshot() == tables
    assert file_snapshot(media) == files
    assert sorted(p.name for p in media.parent.iterdir()) == ["uploads"]  # no staging directory left behind


@pytest.mark.slow  # restores refused against snapshots of every table (2-5 s each): CI's slow tier
def test_a_changed_data_line_or_uploaded_file_is_refused_and_nothing_changes(small, media, tmp_path):
    def rename_organization(members):
        name = "data/orgs.organization.jsonl"
        members[name] = members[name].replace("Hợp tác xã Ba Chẽ".encode(), "Hợp tác xã Khác".encode())

    def change_upload(members):
        members["uploads/documents/a.pdf"] = members["uploads/documents/a.pdf"][:-1] + b"!"

    assert_refused(
        rewrite(small, tmp_path / "data.tar.gz", rename_organization),
        "changed: data/orgs.organization",
        media=media,
        replace=True,
    )
    assert_refused(
        rewrite(small, tmp_path / "file.tar.gz", change_upload),
        "changed: uploads/documents/a.pdf",
        media=media,
        replace=True,
    )

    def drop_upload(members):
        del members["uploads/documents/b.txt"]

    assert_refused(
        rewrite(small, tmp_path / "missing.tar.gz", drop_upload),
        "missing: uploads/documents/b.txt",
        media=media,
        replace=True,
    )


@pytest.mark.slow  # restores refused against snapshots of every table (2-5 s each): CI's slow tier
def test_members_outside_the_archive_links_and_special_files_are_refused(small, media, tmp_path):
    def escape(members):
        members["uploads/../../escaped.txt"] = b"written outside"

    assert_refused(
        rewrite(small, tmp_path / "escape.tar.gz", escape), "unsafe path", media=media, replace=True
    )
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "data" / "escaped.txt").exists()

    for kind in (tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.CHRTYPE):
        linked = tmp_path / f"link-{kind.decode()}.tar.gz"
        with tarfile.open(small) as source, tarfile.open(linked, "w:gz") as out:
            for info in source:
                out.addfile(info, source.extractfile(info))
            link = tarfile.TarInfo("uploads/documents/passwd")
            link.type, link.linkname = kind, "/etc/passwd"
            out.addfile(link)
        assert_refused(linked, "link or a special file", media=media, replace=True)

    absolute = rewrite(small, tmp_path / "absolute.tar.gz", lambda members: members.update({"/tmp/x": b"x"}))
    assert_refused(absolute, "unsafe path", media=media, replace=True)


@pytest.mark.slow  # restores refused against snapshots of every table (2-5 s each): CI's slow tier
def test_an_archive_from_other_migrations_is_refused_naming_them(small, media, tmp_path):
    def newer(members):
        manifest = json.loads(members["manifest.json"])
        manifest["migrations"]["sttasks"].append("9999_from_the_future")
        members["manifest.json"] = json.dumps(manifest).encode()

    assert_refused(
        rewrite(small, tmp_path / "newer.tar.gz", newer),
        "made with migrations this code doesn't have \\(sttasks.9999_from_the_future\\)",
        media=media,
        replace=True,
    )

    def older(members):
        manifest = json.loads(members["manifest.json"])
        manifest["migrations"]["meetings"].pop()
        members["manifest.json"] = json.dumps(manifest).encode()

    assert_refused(
        rewrite(small, tmp_path / "older.tar.gz", older),
        "lacks migrations this code has \\(meetings\\.",
        media=media,
        replace=True,
    )
    with pytest.raises(backup.BackupError, match="no manifest.json"):
        backup.restore(rewrite(small, tmp_path / "bare.tar.gz", lambda members: members.pop("manifest.json")))


@pytest.mark.slow  # restores refused against snapshots of every table (2-5 s each): CI's slow tier
def test_an_archive_whose_rows_break_a_foreign_key_is_rolled_back_whole(small, media, tmp_path):
    def dangling(members):
        name = "data/accounts.roleassignment.jsonl"
        row = json.loads(members[name])
        row["fields"]["user"] = 987654
        members[name] = (json.dumps(row) + "\n").encode()
        manifest = json.loads(members["manifest.json"])
        manifest["files"][name] = {
            "size": len(members[name]),
            "sha256": hashlib.sha256(members[name]).hexdigest(),
        }
        members["manifest.json"] = json.dumps(manifest).encode()

    assert_refused(
        rewrite(small, tmp_path / "dangling.tar.gz", dangling),
        "the database is unchanged",
        media=media,
        replace=True,
    )


@pytest.mark.slow  # restores refused against snapshots of every table (2-5 s each): CI's slow tier
def test_a_database_in_use_is_replaced_only_with_yes(small, media):
    make_user("viewer", username="nguoi.moi")
    assert_refused(small, "already holds data", media=media)
    assert_refused(small, "already holds data", media=media, confirm=lambda: False)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(small), stdout=io.StringIO())
    assert User.objects.filter(username="nguoi.moi").exists()

    out = io.StringIO()
    call_command("restore", str(small), "--yes", stdout=out)
    assert "2 uploaded files" in out.getvalue()
    assert list(User.objects.values_list("username", flat=True)) == ["chuyenvien"]
    assert list(Organization.objects.values_list("name", flat=True)) == ["Hợp tác xã Ba Chẽ"]
    assert file_snapshot(media) == {
        "documents/a.pdf": hashlib.sha256(PDF).hexdigest(),
        "documents/b.txt": hashlib.sha256("biên bản".encode()).hexdigest(),
    }


def test_the_backup_command_prints_the_archive_and_its_counts(media, tmp_path):
    out = io.StringIO()
    call_command("backup", stdout=out)
    path, counts = out.getvalue().splitlines()
    assert Path(path).parent == tmp_path / "data" / "backups" and Path(path).name.startswith("stims-")
    assert "1 uploaded files" in counts and " tables" in counts
    with tarfile.open(path) as archive:
        assert archive.extractfile("uploads/documents/existing.pdf").read() == PDF[:100]
