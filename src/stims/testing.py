"""Helpers for tests: users with roles, units looked up by their official names, Excel uploads."""

import base64
import contextlib
import datetime
import hashlib
import itertools
import json
from pathlib import Path

from django.utils import timezone

from stims.geo.models import AdminUnit, Generation, Level

_counter = itertools.count(1)


def unit(name: str, *, legacy: bool = False, province: str | None = None) -> AdminUnit:
    """A loaded administrative unit by its full name, e.g. unit("Huyện Ba Chẽ", legacy=True)."""
    units = AdminUnit.objects.filter(
        name=name, generation=Generation.LEGACY if legacy else Generation.CURRENT
    )
    if province:
        units = units.filter(province__short_name=province)
    return units.select_related("parent", "province").get()


def province(short_name: str, *, legacy: bool = False) -> AdminUnit:
    return AdminUnit.objects.get(
        level=Level.PROVINCE,
        short_name=short_name,
        generation=Generation.LEGACY if legacy else Generation.CURRENT,
    )


def make_user(role: str | None = None, *, admin_unit=None, organization=None, username=None, **extra):
    """A user holding one role (or none), limited to a unit and/or an organization."""
    from stims.accounts.models import RoleAssignment, User

    user = User.objects.create_user(
        username=username or f"user{next(_counter)}", password="pw-for-tests-123", **extra
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, admin_unit=admin_unit, organization=organization)
    return user


# The data migrations that seed reference data (workflow, task types, OCOP groups and star bands, IP
# types and statuses, council criteria): a transactional test's flush empties those tables too.
SEED_MIGRATIONS = (
    "stims.sttasks.migrations.0002_seed_workflow_and_reference_data",
    "stims.products.migrations.0002_seed_groups_and_star_bands",
    "stims.ip.migrations.0003_seed_types_and_statuses",
    "stims.councils.migrations.0003_seed_ratings_and_criteria",
    "stims.inspections.migrations.0002_seed_sectors_and_violation_types",
)


def reseed_reference_data() -> None:
    """Put back what the seed migrations create (each seed only adds what is missing)."""
    import importlib

    from django.apps import apps

    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)


def xlsx_upload(headers, rows, name: str = "danh-sach.xlsx"):
    """An uploaded .xlsx file whose first sheet holds `headers` and then `rows`, as a user sends it."""
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


class DemoSnapshot:
    """The rows `stims demo` adds or changes, kept in memory by a test process after its first run, so
    that each later module asking for the demo data gets the same rows back by a few bulk INSERTs
    instead of building them again (the build costs about 20 s of CPU on SQLite and 30 on PostgreSQL;
    the copy well under one).

    The test processes share the build too (`SharedBuild`): the first process to need it on a database
    in a given state builds it and writes what it added to `.cache/`, under a digest of the source tree,
    the database's vendor and that state; the others — the parallel tier's workers, the serial tier,
    the next run — wait for it and read it instead of building it again.

    Only used over the database the snapshot was taken from: each table's row count and smallest and
    largest key are compared first, and anything different (a flushing test reseeded the reference data
    with new keys) runs `stims demo` again instead. Values are copied by the database itself, never
    through Python types: on PostgreSQL each table as one JSON text (json_agg / json_populate_recordset),
    on SQLite as the stored values (`+column` reads them without Django's converters)."""

    def __init__(self) -> None:
        self.baseline: dict[str, tuple] | None = None
        self.rows: dict[str, object] = {}
        # What the build printed: a test of `stims demo` itself reads the first run's output here and
        # runs the command a second time on top of the rows.
        self.output = ""
        # Every table's rows after a build on a flushed database (`load_committed`), None until then,
        # and the day of that build: the demo dates deadlines, licences and inspections from today.
        self.committed: dict[str, object] | None = None
        self.committed_on: datetime.date | None = None

    @staticmethod
    def _tables() -> dict[str, tuple[str, bool]]:
        """{table: (its primary key column, whether the key is a number)} for every model's table."""
        from django.apps import apps
        from django.db import models

        tables = {}
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy and meta.db_table not in tables:
                number = isinstance(meta.pk, (models.AutoField, models.BigAutoField, models.IntegerField))
                tables[meta.db_table] = (meta.pk.column, number)
        return tables

    def _fingerprint(self, cursor) -> dict[str, tuple]:
        qn = cursor.db.ops.quote_name
        found = {}
        for table, (pk, number) in self._tables().items():
            key = qn(pk) if number else f"CAST({qn(pk)} AS text)"  # PostgreSQL has no MAX(uuid)
            cursor.execute(f"SELECT COUNT(*), MIN({key}), MAX({key}) FROM {qn(table)}")  # nosec B608 # model tables
            found[table] = tuple(cursor.fetchone())
        return found

    def state(self, cursor) -> dict[str, tuple]:
        """What a build depends on besides the code: every table's fingerprint and the day. The demo dates
        deadlines, licences and inspections from today, so a build made before local midnight is stale
        after it, in this process and in the shared file."""
        return {**self._fingerprint(cursor), "today": (timezone.localdate().isoformat(),)}

    def _read(self, cursor, table: str, pk: str):
        qn = cursor.db.ops.quote_name
        if cursor.db.vendor == "postgresql":
            cursor.execute(f"SELECT json_agg(t ORDER BY t.{qn(pk)})::text FROM {qn(table)} t")  # nosec B608
            return cursor.fetchone()[0] or "[]"
        columns = [c.name for c in cursor.db.introspection.get_table_description(cursor, table)]
        cursor.execute(
            f"SELECT {', '.join('+' + qn(c) for c in columns)} FROM {qn(table)} ORDER BY {qn(pk)}"  # nosec B608
        )
        return columns, cursor.fetchall()

    def _write(self, cursor, table: str, rows) -> None:
        qn = cursor.db.ops.quote_name
        cursor.execute(f"DELETE FROM {qn(table)}")  # nosec B608
        if cursor.db.vendor == "postgresql":
            # Every column but the generated ones (the full-text index's `search_vector`: the database
            # computes it and refuses a value).
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                [qn(table)],
            )
            columns = ", ".join(qn(row[0]) for row in cursor.fetchall())
            cursor.execute(
                f"INSERT INTO {qn(table)} ({columns}) SELECT {columns} "  # nosec B608 # model tables
                f"FROM json_populate_recordset(NULL::{qn(table)}, %s::json)",
                [rows],
            )
            return
        columns, values = rows
        if values:
            marks = ", ".join("%s" for _ in columns)
            cursor.executemany(
                f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES ({marks})",  # nosec B608
                values,
            )

    def load(self) -> None:
        """The demo data in the current transaction: copied when this database matches the one the
        snapshot was taken from, otherwise built by `stims demo` (and the snapshot taken)."""
        import io

        from django.core.management import call_command
        from django.db import connection

        with connection.cursor() as cursor:
            before = self.state(cursor)
            if self.baseline is not None and before == self.baseline:
                self._copy(cursor)
                return
            with SharedBuild(cursor.db.vendor, before) as shared:
                if shared.found is not None:
                    self.baseline, self.rows, self.output = (
                        before,
                        shared.found["rows"],
                        shared.found["output"],
                    )
                    shared.restore_media()
                    self._copy(cursor)
                    return
                tables = self._tables()
                old = {table: self._read(cursor, table, pk) for table, (pk, _) in tables.items()}
                out = io.StringIO()
                with shared.watching_media():
                    call_command("demo", stdout=out)
                new = {table: self._read(cursor, table, pk) for table, (pk, _) in tables.items()}
                self.baseline = before
                self.output = out.getvalue()
                self.rows = {table: rows for table, rows in new.items() if rows != old[table]}
                shared.save({"rows": self.rows, "output": self.output})

    def _copy(self, cursor) -> None:
        from stims.core.aggregates import CHANGE_TABLE

        # The log of changes last: writing the other tables adds rows to it (core.aggregates' triggers,
        # keys from its sequence), which the build's rows then replace, keys included.
        for table in sorted(self.rows, key=lambda table: table == CHANGE_TABLE):
            self._write(cursor, table, self.rows[table])
        self._reset_sequences(cursor, set(self.rows))

    def load_committed(self) -> None:
        """The demo data committed, for a test whose live server reads it (browser tests): the first
        time in a process after a flush, the reference lists, the units and `stims demo` (about 10 s on
        SQLite, 30 s on PostgreSQL), then every table but the units and the other tables a flush keeps
        (core.tests.reference_data) read whole; later the same day (the demo dates its records from
        today), once those kept tables are still the ones the build saw, every other table emptied and
        given back the rows read, keys included, in one transaction. So the state is the build's,
        whatever the test before left in the database."""
        import io

        from django.core.management import call_command
        from django.db import connection, transaction

        from stims.core.tests.reference_data import ensure_units, kept_tables, units_untouched

        kept = kept_tables()
        tables = {table: pk for table, (pk, _) in self._tables().items() if table not in kept}
        if self.committed is not None and self.committed_on == timezone.localdate() and units_untouched():
            with transaction.atomic(), connection.cursor() as cursor:  # keys checked at commit
                for table in tables:
                    self._write(cursor, table, self.committed[table])
                self._reset_sequences(cursor, set(tables))
            return
        reseed_reference_data()
        ensure_units()
        call_command("demo", stdout=io.StringIO())
        if not units_untouched():  # the units were not loaded by this process: nothing to rely on
            return
        with connection.cursor() as cursor:
            self.committed = {table: self._read(cursor, table, pk) for table, pk in tables.items()}
        self.committed_on = timezone.localdate()

    @staticmethod
    def _reset_sequences(cursor, tables: set[str]) -> None:
        """PostgreSQL's sequences do not follow inserted keys (on SQLite AUTOINCREMENT does)."""
        from django.apps import apps
        from django.core.management.color import no_style

        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
        for sql in cursor.db.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class SharedBuild:
    """One demo build shared by every test process on this machine: a file in `.cache/` named after a
    digest of the source tree (every file under src/stims), Django's version, the database's vendor and
    the fingerprint of the database the build starts from (its date included: `DemoSnapshot.state`),
    written atomically by the first process to take the file's lock, read by the others once it is
    released. A change to any source file, a database in another state or another day gives another
    name: a build is never used where it was not made.

    The files the build stores (the portal article's image) are kept in it too and written back where
    the reading process's storage lacks them. Inside `with`, `found` is the shared build or None (this
    process builds and `save`s it; if it fails, the lock is released and the next process builds)."""

    def __init__(self, vendor: str, fingerprint: dict) -> None:
        import django
        from django.conf import settings

        digest = hashlib.sha256(f"{django.__version__} {vendor} ".encode())
        digest.update(json.dumps(sorted(fingerprint.items()), default=str).encode())
        package = Path(__file__).parent
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(package)).encode())
                digest.update(path.read_bytes())
        self.path = Path(settings.SOURCE_ROOT) / ".cache" / f"test-demo-{digest.hexdigest()[:16]}.json"
        self.found: dict | None = None
        self._media: dict[str, str] = {}

    def __enter__(self) -> "SharedBuild":
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.path.with_suffix(".lock"), "w")  # noqa: SIM115 # held until __exit__
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        if self.path.exists():
            self.found = json.loads(self.path.read_text(encoding="utf-8"), object_hook=_decode_value)
            self._media = self.found.get("media", {})
        return self

    def __exit__(self, *exc) -> None:
        self._lock.close()  # releases the lock

    @staticmethod
    def _media_files() -> dict[str, Path]:
        from django.conf import settings

        root = Path(settings.MEDIA_ROOT)
        return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file()} if root.exists() else {}

    @contextlib.contextmanager
    def watching_media(self):
        """Keeps the files the block adds to the media storage, to be saved with the build."""
        before = set(self._media_files())
        yield
        self._media = {
            name: base64.b64encode(path.read_bytes()).decode()
            for name, path in self._media_files().items()
            if name not in before
        }

    def restore_media(self) -> None:
        from django.conf import settings

        for name, data in self._media.items():
            path = Path(settings.MEDIA_ROOT) / name
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(base64.b64decode(data))

    def save(self, build: dict) -> None:
        from stims.core.tests.reference_data import write_json_atomically

        write_json_atomically(self.path, {**build, "media": self._media}, _BuildEncoder)


class _BuildEncoder(json.JSONEncoder):
    def default(self, value):
        """SQLite's BLOB values in the JSON file (everything else it stores is JSON already)."""
        if isinstance(value, (bytes, memoryview)):
            return {"__bytes__": base64.b64encode(bytes(value)).decode()}
        return super().default(value)


def _decode_value(obj: dict):
    return base64.b64decode(obj["__bytes__"]) if obj.keys() == {"__bytes__"} else obj


demo_snapshot = DemoSnapshot()


def import_queries(user, kind, headers, rows, options=None) -> tuple[int, int]:
    """(queries of checking the rows, queries of checking and writing them) of the import `kind`, as its
    preview and its confirm job run them; every row must be new. A test compares them at N and 2N rows:
    an import looks things up once per workbook and writes in batches, never once per row (issue #20)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stims.core import imports

    data = xlsx_upload(headers, rows).read()
    resource = imports.importer(kind).resource(user, options or {})
    sheet = imports.read_for(resource, data)
    with CaptureQueriesContext(connection) as checked:
        outcome = resource.run(sheet, dry_run=True)
    assert outcome.counts["new"] == len(rows), outcome.errors
    resource = imports.importer(kind).resource(user, options or {})
    sheet = imports.read_for(resource, data)
    with CaptureQueriesContext(connection) as written:
        resource.run(sheet, dry_run=False)
    return len(checked), len(written)
