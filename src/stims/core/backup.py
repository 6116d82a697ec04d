"""Backing up and restoring a whole STIMS deployment: every table and every uploaded file, in one archive.

An archive (`stims-YYYYmmdd-HHMMSS.tar.gz`) holds
  * `data/<app>.<model>.jsonl` — every row of every table, Django's JSON Lines serialization with primary
    keys, one file per model (many-to-many tables and history tables included, each as its own model);
  * `uploads/…` — the files under MEDIA_ROOT;
  * `manifest.json` (last) — STIMS version, when, from which database vendor, the migrations applied per
    app, the models in loading order with their row counts, and the size and SHA-256 of every other member.

The data is database-neutral on purpose: a SQLite archive restores into PostgreSQL and back.

A restore checks everything before touching anything (member names and types, every checksum, the
migrations against the code's), then empties every table and loads the archive in one transaction — any
error leaves the database as it was — and only after the commit swaps the extracted uploads into place.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLinesSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model
from django.utils import timezone
from django.utils.timezone import is_aware

FORMAT = 1
MANIFEST = "manifest.json"
DATA_DIR = "data"
UPLOADS_DIR = "uploads"
CHUNK = 2000  # rows fetched per round trip while serializing; memory stays flat whatever the table size


class BackupError(CommandError):
    """An archive that cannot be made or restored; the message says why and what to do."""


class DatabaseNotEmpty(BackupError):
    """The target database already holds data and the caller did not agree to replace it."""


@dataclass
class Summary:
    path: Path
    size: int
    rows: int
    tables: int
    files: int
    file_bytes: int
    seconds: float


# --- What is backed up ----------------------------------------------------------------------------------


def backed_up_models() -> list[type[Model]]:
    """Every model with a table of its own — auto-created many-to-many tables and history tables included,
    not the data versions of the cached dashboards (core.aggregates: they keep counting through a restore,
    so every cached figure is computed again after it) —
    parents before the models pointing at them (cycles, if any, are broken arbitrarily: foreign keys are
    checked at commit on both databases)."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not getattr(model, "not_backed_up", False)
    ]
    known = set(models)
    depends = {
        model: {
            field.related_model._meta.concrete_model
            for field in model._meta.local_fields
            if field.is_relation and field.related_model is not None
        }
        & known - {model}
        for model in models
    }
    ordered: list[type] = []
    placed: set[type] = set()
    while depends:
        ready = [model for model, needs in depends.items() if needs <= placed] or [next(iter(depends))]
        for model in ready:
            ordered.append(model)
            placed.add(model)
            del depends[model]
    return ordered


def model_key(model) -> str:
    return model._meta.label_lower


def applied_migrations(connection) -> dict[str, list[str]]:
    """The migrations applied to the database, per app (squashed ones counted as the code counts them)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return _per_app(key for key in loader.applied_migrations if key in loader.graph.nodes)


def code_migrations(connection) -> dict[str, list[str]]:
    return _per_app(MigrationLoader(connection, ignore_no_migrations=True).graph.nodes)


def _per_app(keys) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for app_label, name in sorted(keys):
        result.setdefault(app_label, []).append(name)
    return result


def _difference(left: dict[str, list[str]], right: dict[str, list[str]]) -> list[str]:
    """Migrations in `left` but not in `right`, as "app.name"."""
    return [
        f"{app}.{name}"
        for app, names in sorted(left.items())
        for name in names
        if name not in right.get(app, ())
    ]


def stims_version() -> str:
    """The release that writes the archive (stims.__version__, the one place it is set)."""
    from stims import __version__

    return __version__


# --- Backup -----------------------------------------------------------------------------------------------


@contextmanager
def _snapshot(connection) -> Iterator[None]:
    """One consistent view of the database for the whole backup, while others keep writing."""
    if connection.in_atomic_block:
        # Inside a caller's transaction (tests, scripts): its view is the snapshot.
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # A deferred (read) transaction: in WAL mode it sees one snapshot and never blocks writers.
        # (atomic() would BEGIN IMMEDIATE, the settings' transaction mode, and take the write lock.)
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:  # pragma: no cover - STIMS runs on SQLite and PostgreSQL
        with transaction.atomic(using=connection.alias):
            yield


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, without its cut of times to milliseconds: a restored row equals the backed-up one."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat().replace("+00:00", "Z")
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class _JSONLines(JSONLinesSerializer):
    """Django's JSON Lines, one json.dumps per row: json.dump (Django's) encodes in pure Python and writes
    piece by piece, several times slower."""

    def end_object(self, obj):
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None


class _Hashing(io.RawIOBase):
    """The first `limit` bytes of a file, hashed as tarfile copies them (a file growing meanwhile is cut
    where its size was taken, so the checksum is the archived bytes')."""

    def __init__(self, raw, limit: int):
        self.raw, self.limit, self.sha256, self.size = raw, limit, hashlib.sha256(), 0

    def readable(self):
        return True

    def readinto(self, buffer):
        view = memoryview(buffer)[: self.limit - self.size]
        count = self.raw.readinto(view) if len(view) else 0
        if count:
            self.sha256.update(memoryview(buffer)[:count])
            self.size += count
        return count


def default_archive_path() -> Path:
    return Path(settings.DATA_DIR) / "backups" / f"stims-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def backup(path: str | os.PathLike | None = None, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Writes the archive (to `path`, a file or a directory, or to DATA_DIR/backups) and returns what it holds."""
    started = time.monotonic()
    target = Path(path) if path else default_archive_path()
    if target.is_dir():
        target = target / default_archive_path().name
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT).resolve()

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "stims_version": stims_version(),
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "migrations": {},
        "models": [],
        "files": {},
    }
    partial = target.with_name(f".{target.name}.partial")
    try:
        # Readable by its owner only: the archive holds password hashes, API token digests and sessions.
        with (
            os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive,
        ):
            with _snapshot(connection):
                manifest["migrations"] = applied_migrations(connection)
                missing = _difference(code_migrations(connection), manifest["migrations"])
                if missing:
                    raise BackupError(
                        f"The database lacks migrations the code has ({', '.join(missing)}): run `stims migrate` "
                        "first, or back up with the STIMS version that matches the database."
                    )
                for model in backed_up_models():
                    member = f"{DATA_DIR}/{model_key(model)}.jsonl"
                    rows = _add_model(archive, member, model, using, manifest["files"])
                    manifest["models"].append(
                        {"model": model_key(model), "table": model._meta.db_table, "rows": rows}
                    )
            # Files are read after the snapshot: a file uploaded meanwhile is in the archive, unused; a file is
            # never deleted while its row exists, so every file the rows name is there.
            for file in sorted(media_root.rglob("*")) if media_root.is_dir() else ():
                if file.is_symlink() or not file.is_file() or file == partial:
                    continue
                member = f"{UPLOADS_DIR}/{file.relative_to(media_root).as_posix()}"
                _add_file(archive, member, file, manifest["files"])
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(time.time()), 0o644
            archive.addfile(info, io.BytesIO(body))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    uploads = [entry for member, entry in manifest["files"].items() if member.startswith(f"{UPLOADS_DIR}/")]
    return Summary(
        path=target,
        size=target.stat().st_size,
        rows=sum(entry["rows"] for entry in manifest["models"]),
        tables=len(manifest["models"]),
        files=len(uploads),
        file_bytes=sum(entry["size"] for entry in uploads),
        seconds=time.monotonic() - started,
    )


def _add_model(archive: tarfile.TarFile, member: str, model, using: str, files: dict) -> int:
    # Each model's own columns only: an auto-created many-to-many table is its own model in the archive
    # (its rows keep their ids), and a child of multi-table inheritance leaves its parent's to the parent.
    fields = [field.name for field in model._meta.local_fields if not field.primary_key]
    rows = 0

    def counted(queryset):
        nonlocal rows
        for obj in queryset:
            rows += 1
            yield obj

    queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
    with tempfile.TemporaryFile(mode="w+b") as spool:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="\n")
        _JSONLines().serialize(
            counted(queryset.iterator(chunk_size=CHUNK)), stream=text, fields=fields, cls=ExactJSONEncoder
        )
        text.flush()
        text.detach()
        spool.seek(0)
        _add_stream(archive, member, spool, spool.seek(0, os.SEEK_END), files)
    return rows


def _add_file(archive: tarfile.TarFile, member: str, file: Path, files: dict) -> None:
    try:
        handle = file.open("rb")
    except FileNotFoundError:  # deleted since the directory was listed
        return
    with handle:
        _add_stream(
            archive, member, handle, os.fstat(handle.fileno()).st_size, files, mtime=file.stat().st_mtime
        )


def _add_stream(archive, member: str, handle, size: int, files: dict, *, mtime: float | None = None) -> None:
    handle.seek(0)
    info = tarfile.TarInfo(member)
    info.size, info.mode, info.mtime = size, 0o644, int(mtime if mtime is not None else time.time())
    hashing = _Hashing(handle, size)
    archive.addfile(info, io.BufferedReader(hashing))
    files[member] = {"size": hashing.size, "sha256": hashing.sha256.hexdigest()}


# --- Restore ----------------------------------------------------------------------------------------------


def read_archive(path: str | os.PathLike, into: Path) -> dict:
    """Extracts the archive into the directory `into` and returns its manifest, after checking that every
    member is a plain file or directory with a safe relative name, that every file the manifest lists is
    there with its size and checksum, and that nothing else is."""
    seen: dict[str, dict] = {}
    try:
        with tarfile.open(path, "r:*") as archive:
            for info in archive:
                name = _safe_name(info)
                if info.isdir():
                    continue
                if name in seen:
                    raise BackupError(f"The archive holds “{name}” twice; it was not made by `stims backup`.")
                destination = into.joinpath(*PurePosixPath(name).parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                source = archive.extractfile(info)
                if source is None:  # a regular file always has content; anything else was refused above
                    raise BackupError(f"“{name}” in the archive is not a file.")
                with source, destination.open("xb") as out:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[name] = {"size": size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{path} is not a readable backup archive: {exc}") from exc
    if MANIFEST not in seen:
        raise BackupError(f"{path} has no {MANIFEST}: it is not a STIMS backup, or it is incomplete.")
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        listed = manifest["files"]
        models = manifest["models"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"The archive's {MANIFEST} is unreadable: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"The archive's format {manifest.get('format')!r} is not one this STIMS reads ({FORMAT})."
        )
    del seen[MANIFEST]
    damaged = sorted(name for name in listed.keys() & seen.keys() if listed[name] != seen[name])
    missing = sorted(listed.keys() - seen.keys())
    unlisted = sorted(seen.keys() - listed.keys())
    if damaged or missing or unlisted:
        problems = [
            f"{label}: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}"
            for label, names in (
                ("changed", damaged),
                ("missing", missing),
                ("not in the manifest", unlisted),
            )
            if names
        ]
        raise BackupError(
            "The archive does not match its manifest (" + "; ".join(problems) + "); nothing was restored."
        )
    for entry in models:
        if f"{DATA_DIR}/{entry['model']}.jsonl" not in listed:
            raise BackupError(f"The archive lists {entry['model']} but holds no data file for it.")
    return manifest


def _safe_name(info: tarfile.TarInfo) -> str:
    """The member's name, or a refusal for anything that could write outside the target or isn't plain data."""
    path = PurePosixPath(info.name)
    if path.is_absolute() or ".." in path.parts or "\\" in info.name or not path.parts or path.parts[0] == "":
        raise BackupError(f"The archive member “{info.name}” has an unsafe path; the archive was refused.")
    if not (info.isreg() or info.isdir()):
        raise BackupError(
            f"The archive member “{info.name}” is a link or a special file; the archive was refused."
        )
    name = path.as_posix()
    if name != MANIFEST and path.parts[0] not in (DATA_DIR, UPLOADS_DIR):
        raise BackupError(
            f"The archive member “{info.name}” is not part of a STIMS backup; the archive was refused."
        )
    return name


def database_holds_data(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether anyone has used the database: it has user accounts or a recorded change. A database that was
    only migrated (reference lists seeded by the migrations) or given the administrative units has neither."""
    from django.contrib.auth import get_user_model

    connection = connections[using]
    if get_user_model()._meta.db_table not in connection.introspection.table_names():
        return False
    history = [
        model for model in apps.get_models() if hasattr(model, "instance_type")
    ]  # simple-history's models
    return any(model._base_manager.using(using).exists() for model in [get_user_model(), *history])


def empty_tables(models, using: str = DEFAULT_DB_ALIAS) -> None:
    """Deletes every row of these models' tables and restarts their id sequences (no post-migrate signal:
    content types and permissions come back with the archive, ids unchanged)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in this transaction: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), tables, reset_sequences=True):
            cursor.execute(statement)


def restore(
    path: str | os.PathLike,
    *,
    replace: bool = False,
    confirm: Callable[[], bool] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> dict:
    """Replaces the database and the uploads with the archive's. Refuses (BackupError) a damaged or unsafe
    archive, one from other migrations, and — unless `replace` or `confirm()` says yes — a database that
    already holds data. Returns the manifest."""
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    try:
        manifest = read_archive(path, staging)
        ours = code_migrations(connection)
        extra = _difference(manifest["migrations"], ours)
        if extra:
            raise BackupError(
                f"The backup was made with migrations this code doesn't have ({', '.join(extra)}): "
                f"restore it with STIMS {manifest.get('stims_version', '?')}, the version that made it."
            )
        older = _difference(ours, manifest["migrations"])
        if older:
            raise BackupError(
                f"The backup lacks migrations this code has ({', '.join(older)}): restore it with STIMS "
                f"{manifest.get('stims_version', '?')}, the version that made it, then upgrade and migrate."
            )
        models = backed_up_models()
        by_key = {model_key(model): model for model in models}
        archived = [entry["model"] for entry in manifest["models"]]
        if set(archived) != set(by_key):
            raise BackupError(
                "The archive's tables differ from this installation's "
                f"(only in the archive: {sorted(set(archived) - set(by_key))}; "
                f"only here: {sorted(set(by_key) - set(archived))})."
            )

        if not connection.introspection.table_names():
            call_command("migrate", database=using, interactive=False, verbosity=0)
        elif _difference(ours, applied_migrations(connection)):
            raise BackupError("The database is not fully migrated: run `stims migrate` first, then restore.")
        if database_holds_data(using) and not replace and not (confirm and confirm()):
            raise DatabaseNotEmpty(
                "The database already holds data; restoring replaces all of it. Run again with --yes to do so."
            )

        try:
            loaded = _load(staging, manifest, by_key, using)
        except DatabaseError as exc:
            raise BackupError(
                f"The archive's data could not be loaded ({exc}); the database is unchanged."
            ) from exc
        uploads = staging / UPLOADS_DIR
        uploads.mkdir(exist_ok=True)
        _swap(uploads, media_root)
        return manifest | {"loaded": loaded}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _load(staging: Path, manifest: dict, by_key: dict, using: str) -> dict[str, int]:
    connection = connections[using]
    models = [by_key[entry["model"]] for entry in manifest["models"]]
    loaded: dict[str, int] = {}
    with transaction.atomic(using=using), connection.constraint_checks_disabled():
        empty_tables(models, using)
        for entry, model in zip(manifest["models"], models, strict=True):
            count = _insert_rows(model, staging / DATA_DIR / f"{entry['model']}.jsonl", using)
            if count != entry["rows"]:
                raise BackupError(
                    f"{entry['model']}: {count} rows in the archive, the manifest says {entry['rows']}."
                )
            loaded[entry["model"]] = count
        connection.check_constraints(table_names=[model._meta.db_table for model in models])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    return loaded


def _insert_rows(model, data_file: Path, using: str) -> int:
    """Inserts the rows of one data file as they are, in batches.

    Raw inserts, like loaddata's raw saves: no save() override runs (the stored search columns are kept),
    auto_now dates keep their stored values, no signal fires (so no history row is written for a restored
    row). One INSERT per batch rather than per row makes the load several times faster.
    """
    fields = model._meta.local_concrete_fields
    batch_size = max(1, min(500, connections[using].ops.bulk_batch_size(fields, [None] * 500)))
    manager = model._base_manager.using(using)
    count, batch = 0, []
    with data_file.open(encoding="utf-8") as lines:
        try:
            for obj in serializers.deserialize("jsonl", lines, using=using, ignorenonexistent=False):
                if type(obj.object) is not model:
                    raise BackupError(
                        f"The data file of {model_key(model)} holds a {model_key(type(obj.object))}."
                    )
                batch.append(obj.object)
                if len(batch) == batch_size:
                    manager._insert(batch, fields=fields, raw=True, using=using)
                    count, batch = count + len(batch), []
        except serializers.base.DeserializationError as exc:
            raise BackupError(f"The data of {model_key(model)} could not be read: {exc}") from exc
    if batch:
        manager._insert(batch, fields=fields, raw=True, using=using)
    return count + len(batch)


def _swap(uploads: Path, media_root: Path) -> None:
    """Puts the restored uploads at MEDIA_ROOT; the old ones are removed only once the new ones are in place."""
    old = None
    if media_root.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-old-", dir=media_root.parent))
        os.rename(media_root, old / media_root.name)
    try:
        os.rename(uploads, media_root)
    except OSError:
        if old is not None:
            os.rename(old / media_root.name, media_root)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
