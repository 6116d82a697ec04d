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


def write_json_atomically(path: Path, data, encoder: type[json.JSONEncoder] = DjangoJSONEncoder) -> None:
    """Writes a snapshot of `.cache/` atomically: parallel workers building the same snapshot never
    read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, cls=encoder)
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
            write_json_atomically(path, _loaded)
            _remember_units()
            return
    _insert(_loaded)
    _remember_units()


# --- Flushing tests keep the units (live server, browser) ---------------------------------------------
#
# A test that commits (live server, browser, dropped connections) ends with Django's `flush`, which
# empties every table, the 14,000 units included, and the next such test loads them again: about 1.3 s on
# SQLite and 1.2 s on PostgreSQL per test, most of the serial tier's set-up. The flush below leaves the
# unit tables — and the data-version tables that say whether anyone wrote to them — as they are when
# their version is still the one they had right after they were loaded; a test that changed a unit
# (any write commits a new version: core.aggregates) gets the whole flush, units included, as before.
# Everything else is emptied as before.

_units_version: list[tuple] = []  # the unit tables' version right after they were last loaded


def kept_tables() -> set[str]:
    """The tables a flush leaves as they are while nobody wrote to the units."""
    from stims.core.aggregates import CHANGE_TABLE, VERSION_TABLE

    # The content types and permissions too: `flush` empties them and its post_migrate signal writes
    # the same rows again (hundreds of rows; deleting them makes PostgreSQL check every key pointing
    # at them).
    return {model._meta.db_table for model in _unit_models()} | {
        VERSION_TABLE,
        CHANGE_TABLE,
        "django_content_type",
        "auth_permission",
    }


def _units_version_now() -> tuple:
    """The committed changes to the unit tables and their last stamp (core.aggregates' version of these
    two tables alone: `aggregates.version` always adds the organizations)."""
    from stims.core.aggregates import CHANGE_TABLE, VERSION_TABLE

    tables = sorted(model._meta.db_table for model in _unit_models())
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT table_name, version, stamp FROM {VERSION_TABLE} WHERE table_name IN ({marks}) "  # nosec B608 # our own table names
            "ORDER BY table_name",
            tables,
        )
        found: tuple = tuple(cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT table_name, count(*), max(id) FROM {CHANGE_TABLE} WHERE table_name IN ({marks}) "  # nosec B608
                "GROUP BY table_name ORDER BY table_name",
                tables,
            )
            found += tuple(cursor.fetchall())
    return found


def _remember_units() -> None:
    """Notes the version of units just loaded and committed (loaded inside a transaction that may yet
    be rolled back, they are not kept: the next flush empties them)."""
    _units_version[:] = [] if connection.in_atomic_block else [_units_version_now()]


def units_untouched() -> bool:
    """Whether the units are the ones last loaded, unchanged since (their version is the same)."""
    return bool(_units_version) and _units_version_now() == _units_version[0]


def keep_units_across_flushes() -> None:
    """Installs the flush above in `flush` (for this test process)."""
    from django.core.management.commands import flush

    if getattr(flush.sql_flush, "keeps_units", False):
        return

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        kept = set()
        if units_untouched():
            kept = kept_tables()
        else:
            _units_version.clear()
        tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
            if table not in kept
        ]
        if connection.vendor == "postgresql" and not reset_sequences and tables:
            # Only the tables holding rows, and by DELETE: a test leaves rows in a few of the 300
            # tables, and TRUNCATE gives every table it names new files, empty or not (2 s a flush).
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so the order does not matter:
            # they are checked when the flush's transaction commits, with those tables empty.
            quote = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(
                    " UNION ALL ".join(
                        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # nosec B608 # model tables
                        for table in tables
                    ),
                    tables,
                )
                filled = [row[0] for row in cursor.fetchall()]
            return [f"DELETE FROM {quote(table)};" for table in filled]  # nosec B608 # model tables
        return connection.ops.sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )

    sql_flush.keeps_units = True  # type: ignore[attr-defined]
    flush.sql_flush = sql_flush  # type: ignore[assignment]


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
