"""The reference data every test database starts with, built fast.

A test database is built from the models (no migrations: `migrate` on an empty database is proved
separately in CI), then given what the migrations would have put in it:
  * every migration recorded as applied (backups compare the applied migrations with the code's);
  * the lists the seed migrations create (workflow, task types, OCOP groups, IP statuses, criteria);
  * the official administrative units, from a snapshot of what `stims load_units` loads.

The snapshot lives in `.cache/` at the repository root, named after a digest of the loader, the unit
models and the versions of the two packages the units come from: the loader runs once per machine
(about fifteen seconds), and later databases get the same rows in under a second. A loader or package
change gives a new digest, so a stale snapshot is never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

SOURCE_PACKAGES = ("vietnam-provinces", "vietnamadminunits")


def _unit_models():
    from stims.geo.models import AdminUnit, AdminUnitSuccession

    return (AdminUnit, AdminUnitSuccession)


def snapshot_path() -> Path:
    from stims.geo import loader, models

    digest = hashlib.sha256()
    for module in (loader, models):
        digest.update(Path(module.__file__).read_bytes())
    for package in SOURCE_PACKAGES:
        digest.update(f"{package}=={metadata.version(package)}".encode())
    return Path(settings.SOURCE_ROOT) / ".cache" / f"test-units-{digest.hexdigest()[:16]}.json"


def _read_tables() -> dict[str, list[list]]:
    """The unit tables as they are in the database now: {table: [row values in field order]}."""
    tables = {}
    for model in _unit_models():
        fields = model._meta.concrete_fields
        tables[model._meta.db_table] = [
            list(row)
            for row in model._default_manager.order_by("pk").values_list(*(f.attname for f in fields))
        ]
    return tables


def _write_snapshot(path: Path, tables: dict) -> None:
    """Writes atomically: parallel workers building the same snapshot never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".units-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(tables, out, cls=DjangoJSONEncoder)
    os.replace(tmp, path)


def _insert(tables: dict[str, list[list]]) -> None:
    """Writes the rows back, keys included: COPY on PostgreSQL, one executemany on SQLite
    (bulk_create takes ten times as long for the 14,000 units)."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:  # foreign keys are checked at commit
        for model in _unit_models():
            fields = model._meta.concrete_fields
            rows = [
                tuple(
                    f.get_db_prep_save(f.to_python(v), connection) for f, v in zip(fields, row, strict=True)
                )
                for row in tables[model._meta.db_table]
            ]
            names = ", ".join(quote(f.column) for f in fields)
            table = quote(model._meta.db_table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)
        # Explicit keys do not move PostgreSQL's sequences: move them, so later inserts do not collide.
        for sql in connection.ops.sequence_reset_sql(no_style(), list(_unit_models())):
            cursor.execute(sql)


_loaded: dict[str, list[list]] = {}


def ensure_units() -> None:
    """Makes sure the administrative units are in the database: from the snapshot (in memory after
    the first use), or from the loader when there is no snapshot yet (which then writes one)."""
    from stims.geo.models import AdminUnit

    if AdminUnit.objects.exists():
        return
    if not _loaded:
        path = snapshot_path()
        if path.exists():
            _loaded.update(json.loads(path.read_text(encoding="utf-8")))
        else:
            from stims.geo.loader import load_units

            load_units()
            _loaded.update(_read_tables())
            _write_snapshot(path, _loaded)
            return
    _insert(_loaded)


def record_migrations_applied() -> None:
    """Marks every migration of the code as applied, as `migrate` would have left the database."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    nodes = MigrationLoader(connection, ignore_no_migrations=True).graph.nodes
    recorder.Migration.objects.bulk_create(
        [recorder.Migration(app=app, name=name) for app, name in sorted(nodes)]
    )


class DisabledMigrations(dict):
    """MIGRATION_MODULES that makes Django build every app's tables straight from its models."""

    def __contains__(self, item) -> bool:
        return True

    def __getitem__(self, item):
        return None
