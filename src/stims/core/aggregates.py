"""Dashboard aggregates kept in the cache under a version of the tables they read.

    figures = aggregates.cached(
        "sttasks.summary", compute,                    # compute() -> a picklable value
        depends_on=["sttasks", "funding", Result],     # app labels or models
        scope=aggregates.scope_of(request.user),       # who may see what
        parts=[year_from, year_to, level],             # the page's own parameters
    )

**The version.** Every table of the STIMS apps (not `core`'s own, not the simple-history tables) has
a database trigger, installed after each `migrate` (`install_triggers`, on `post_migrate`), that
records a change on every INSERT, UPDATE, DELETE (and TRUNCATE) whatever wrote it: a form, the API, the
bulk API, `QuerySet.update()` and `bulk_create` (which send no signals), imports, deletes, history
restores, the demo loader, raw SQL. Signals alone would miss half of those.

* SQLite (one writer at a time): a row trigger adds 1 to the table's row of `core_dataversion` and
  draws a new random `stamp`.
* PostgreSQL: a statement trigger appends one row per write statement to `core_datachange`
  (appends take no lock another writer waits for: a long import does not hold up the forms). The rows
  are folded into `core_dataversion` from time to time (`compact`), in one statement, which keeps the
  sum unchanged.

The version of a set of tables is read in **one query**: the number of changes committed to them
(folded ones plus appended ones) and a stamp (SQLite: the random stamps; PostgreSQL: the highest
change id, from a sequence, which a rollback does not give back). A change counts only once its
transaction commits (it is a row like any other), so a reader never caches figures under a version
that does not yet include the rows it read; the other way round is harmless: the figures are read
after the version, so they may include a later commit, and the next reader sees a newer version. A
transaction that reads its own uncommitted changes and then rolls back leaves a version nobody will
see again (the stamp moves on).

**Who may see what.** `scope_of(user)` describes what `permissions.restrict` lets the user see: a
superuser sees everything; anyone else sees what their role assignments in force (role, unit,
organization) grant, so two users with the same assignments share entries and a local officer never
gets another unit's figures. The unit and organization tables are always part of the version (the
units an assignment covers are read from them).

**Dashboards may lag a little** (`cached(..., stale_for=user)`). Under a steady stream of writes
(every form, import or API call moves the version of what a dashboard reads) the figures would be
computed again on nearly every visit: the leader's summary costs a third of a second of the database
at national scale. A dashboard therefore serves the figures it computed at most
`STIMS_FIGURES_STALE_SECONDS` (30 s) before, even if the data moved since, **except to a user who has
written a table they read since they were computed** (`note_write`, called after each POST, PUT, PATCH
or DELETE that wrote and at the end of each background import): what you changed yourself is always in
the figures you see next. When the lag has run out, the first request computes the figures again and
the others asking for the same figures meanwhile get the previous ones (`COMPUTING_GRACE`, 60 s at
most), instead of each computing them too. The page says when figures are served this way ("Số liệu lúc 20:45:12", `served_as_of`). List counts and
anything else cached without `stale_for` stay exact.

"Written" is table by table: `WrittenTables` (the middleware's) records the tables each write
request's statements change, and only a write to a table the figures read counts — an officer who adds
an organization is not made to wait a second for the leader's summary, whose counts do not read
organizations. The units' and organizations' tables count only for a user whose scope is limited to a
unit or an organization (a deployment-wide user's scope does not read them). A write whose statement
cannot be read (not a plain INSERT, UPDATE or DELETE of one table) and a background import count as
writes to every table.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, models, router, transaction
from django.utils import timezone, translation

from . import permissions

logger = logging.getLogger(__name__)

VERSION_TABLE = "core_dataversion"
CHANGE_TABLE = "core_datachange"
TIMEOUT = getattr(settings, "STIMS_AGGREGATE_CACHE_SECONDS", 6 * 3600)
COMPACT_AFTER = 1000  # appended change rows (of the tables read) before they are folded in


# --- Which tables are tracked --------------------------------------------------------------------


def _is_history(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type") and model.__name__.startswith("Historical")


@functools.cache
def tracked_models() -> list[type[models.Model]]:
    """The concrete tables of the STIMS apps (their many-to-many tables included), except core's own
    and the audit (simple-history) tables."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("stims.") or config.label == "core":
            continue
        for model in config.get_models(include_auto_created=True):
            opts = model._meta
            if opts.proxy or not opts.managed or opts.abstract or _is_history(model):
                continue
            found.append(model)
    return found


def tracked_tables() -> list[str]:
    return sorted({m._meta.db_table for m in tracked_models()})


def tables_of(depends_on: Iterable[str | type[models.Model]], *, scope_tables: bool = True) -> list[str]:
    """Table names of app labels and models (an app label stands for all its tracked tables, "*" for
    every tracked table), with the units' and organizations' tables, which decide every scope, unless
    `scope_tables` is false (a statement whose text holds its scope, see `cached`)."""
    return list(_tables_of(tuple(depends_on), scope_tables))


@functools.cache
def _tables_of(depends_on: tuple, scope_tables: bool = True) -> tuple[str, ...]:
    tracked = set(tracked_models())
    tables: set[str] = set()
    for item in depends_on:
        if item == "*":
            tables |= {m._meta.db_table for m in tracked}
        elif isinstance(item, str):
            found = {m._meta.db_table for m in tracked if m._meta.app_label == item}
            if not found:
                raise ValueError(f"No tracked table in app {item!r}")
            tables |= found
        else:
            if item not in tracked:
                raise ValueError(f"{item._meta.label} is not tracked by the version triggers")
            tables.add(item._meta.db_table)
            # Its many-to-many tables change with it.
            for f in item._meta.many_to_many:
                through: Any = f.remote_field.through
                if through._meta.auto_created:
                    tables.add(through._meta.db_table)
    for name in ("unit_model", "organization_model") if scope_tables else ():
        provider: Any = permissions._providers.get(name)
        if provider is not None:
            tables.add(provider._meta.db_table)
    return tuple(sorted(tables))


def with_relations(model: type[models.Model]) -> list[type[models.Model]]:
    """`model` and the tracked models its foreign keys point to (the names a group-by shows)."""
    tracked = set(tracked_models())
    found = [model]
    for f in model._meta.get_fields():
        if (f.many_to_one or f.one_to_one) and f.concrete and f.related_model in tracked:
            found.append(f.related_model)
    return list(dict.fromkeys(found))


def app_of(function: Callable) -> str:
    """The label of the app whose module defines `function` (e.g. a registered section's context)."""
    config = apps.get_containing_app_config(function.__module__)
    if config is None:
        raise ValueError(f"{function!r} is not in an installed app")
    return config.label


# --- The triggers ----------------------------------------------------------------------------------

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION stims_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_datachange (table_name) VALUES (TG_TABLE_NAME);  -- CHANGE_TABLE
    RETURN NULL;
END
$$
"""
# One row per statement, not per transaction: a transaction may read a dashboard between two of its
# writes (its own uncommitted rows included); a later write must move the version again, or the
# figures read in between would be kept under the committed version.


def _pg_trigger(table: str) -> str:
    return (
        f'CREATE OR REPLACE TRIGGER stims_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION stims_data_changed()"
    )


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER IF NOT EXISTS "stims_dv_{table}_{op.lower()}" AFTER {op} ON "{table}" BEGIN '  # nosec B608 # names of our own tables; values are parameters
        f"INSERT INTO {VERSION_TABLE} (table_name, version, stamp) VALUES ('{table}', 1, random()) "
        "ON CONFLICT (table_name) DO UPDATE SET version = version + 1, stamp = random(); END"
        for op in ("INSERT", "UPDATE", "DELETE")
    ]


def install_triggers(using: str = "default") -> int:
    """Creates (or replaces) the version triggers on every tracked table; idempotent. Returns how many
    tables have them."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [t for t in tracked_tables() if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table in tables:
                cursor.execute(_pg_trigger(table))
        elif connection.vendor == "sqlite":
            for table in tables:
                for statement in _sqlite_triggers(table):
                    cursor.execute(statement)
        else:  # pragma: no cover - STIMS runs on these two
            raise NotImplementedError(connection.vendor)
    return len(tables)


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """`post_migrate` receiver (connected for the core app, which is migrated with every `migrate`)."""
    if sender.label == "core":
        install_triggers(using)


# --- Reading versions ------------------------------------------------------------------------------


def _alias() -> str:
    from .models import DataVersion

    return router.db_for_read(DataVersion)


def version(depends_on: Iterable[str | type[models.Model]], *, scope_tables: bool = True) -> str:
    """The version of the tables behind `depends_on`, in one query: changes whenever a change to any of
    them is committed."""
    tables = tables_of(depends_on, scope_tables=scope_tables)
    alias = _alias()
    connection = connections[alias]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT (SELECT coalesce(sum(version), 0) FROM {VERSION_TABLE} WHERE table_name = ANY(%s)),"  # nosec B608 # names of our own tables; values are parameters
                f" (SELECT coalesce(max(stamp), 0) FROM {VERSION_TABLE} WHERE table_name = ANY(%s)),"
                " count(*) FILTER (WHERE table_name = ANY(%s)),"
                f" coalesce(max(id) FILTER (WHERE table_name = ANY(%s)), 0), count(*) FROM {CHANGE_TABLE}",
                [tables, tables, tables, tables],
            )
            folded, stamp, appended, last, waiting = cursor.fetchone()
            # Every table's appended rows count (not only the tables read here), so the tables no
            # dashboard reads are folded in too and the change log stays short.
            if waiting > COMPACT_AFTER:  # on the primary, even when the figures are read from a replica
                compact()
            return f"{folded + appended}.{max(stamp, last)}"
        cursor.execute(
            f"SELECT coalesce(sum(version), 0), coalesce(group_concat(stamp, ','), '') FROM "  # nosec B608 # names of our own tables; values are parameters
            f"(SELECT version, stamp FROM {VERSION_TABLE} WHERE table_name IN ({marks}) ORDER BY table_name)",
            tables,
        )
        total, stamps = cursor.fetchone()
        return f"{total}.{hashlib.sha1(stamps.encode(), usedforsecurity=False).hexdigest()[:16]}"


def compact(using: str = "default") -> None:
    """PostgreSQL: folds the appended changes into `core_dataversion` (one statement: every version read
    gives the same answer before and after). Concurrent calls are safe (a row deleted by one is skipped
    by the other); a failure leaves the rows for the next call."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(
                f"WITH gone AS (DELETE FROM {CHANGE_TABLE} RETURNING table_name, id) "  # nosec B608 # names of our own tables; values are parameters
                f"INSERT INTO {VERSION_TABLE} (table_name, version, stamp) "
                "SELECT table_name, count(*), max(id) FROM gone GROUP BY table_name "
                "ON CONFLICT (table_name) DO UPDATE SET version = "
                f"{VERSION_TABLE}.version + EXCLUDED.version, stamp = GREATEST({VERSION_TABLE}.stamp, EXCLUDED.stamp)"
            )
    except DatabaseError:  # e.g. a deadlock with another compaction: the next one does it
        logger.warning("compacting the data versions failed", exc_info=True)


# --- Scopes and the cache ------------------------------------------------------------------------


def scope_of(user) -> str:
    """What `permissions.restrict` lets `user` see, as a key: users with the same key see the same rows."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return "none"
    if user.is_superuser:
        return "all"
    grants = sorted(
        f"{a.role}/{a.admin_unit_id or ''}/{a.organization_id or ''}"
        for a in permissions.active_assignments(user)
    )
    return "as:" + ",".join(grants)


def key_for(name: str, scope: str, parts: Iterable[Any]) -> str:
    raw = repr((name, scope, tuple(parts), translation.get_language()))
    return f"stims:agg:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


@dataclass(frozen=True)
class Entry:
    """What the cache keeps for a name, scope and parameters: the value, the version of the tables it was
    computed from, and when the computation started (the data it read is at least that recent)."""

    version: str
    computed_at: float
    value: Any


# The time of the oldest figures served behind the data during this request (None: none), for the page.
_as_of: ContextVar[float | None] = ContextVar("stims_figures_as_of", default=None)


def _now() -> float:
    return time.time()


def stale_seconds() -> int:
    """How far behind the data a dashboard's figures may be served to someone who has not written since
    (settings.STIMS_FIGURES_STALE_SECONDS; 0: never)."""
    return int(getattr(settings, "STIMS_FIGURES_STALE_SECONDS", 30))


EVERY_TABLE = "*"  # a write whose tables are not known: as if it wrote them all


def _wrote_key(user, table: str = "") -> str:
    return f"stims:agg:wrote:{user.pk}:{table}" if table else f"stims:agg:wrote:{user.pk}"


def note_write(user, tables: Iterable[str] | None = None) -> None:
    """`user` has just written `tables` (None: any table — an import finished): the next dashboard they
    open that reads one of them computes what changed since its figures were computed. Tables no
    dashboard can read (sessions, the audit trail, core's own) are left out; a write to none of the
    others notes nothing. One mark per table (and one for "wrote anything", the quick test), each set
    on its own: two writes of one user at once cannot lose each other's marks."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return
    if tables is None:
        written = {EVERY_TABLE}
    else:
        tracked = _tracked_table_names()
        written = {table for table in tables if table in tracked or table == EVERY_TABLE}
    if not written:
        return
    now = _now()
    marks = {_wrote_key(user, table): now for table in written}
    marks[_wrote_key(user)] = now
    cache.set_many(marks, stale_seconds() + 60)


@functools.cache
def _tracked_table_names() -> frozenset[str]:
    return frozenset(tracked_tables())


def _wrote_since(entry: Entry, user, tables: Iterable[str]) -> bool:
    """Whether `user` has written one of `tables` since `entry` was computed (an import: any table)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    wrote = cache.get(_wrote_key(user))
    if wrote is None or wrote < entry.computed_at:
        return False
    marks = cache.get_many([_wrote_key(user, table) for table in (EVERY_TABLE, *tables)])
    return any(mark >= entry.computed_at for mark in marks.values())


# While one request computes a dashboard's figures again (their lag has run out), the others asking
# for the same figures are served the previous ones for up to this much longer, rather than each
# computing them too (about a second each for the leader's summary at national scale).
COMPUTING_GRACE = 60


def _computing_key(key: str) -> str:
    return f"{key}:computing"


def scope_reads_tables(scope: str) -> bool:
    """Whether a scope (`scope_of`) is read from the units' and organizations' tables: some assignment
    of it is limited to a unit or an organization, whose covered rows those tables decide. "all",
    "none" and deployment-wide roles read neither."""
    if scope in ("all", "none"):
        return False
    if not scope.startswith("as:"):
        return True  # not a scope `scope_of` made: assume it does
    return any(grant.split("/", 1)[1].strip("/") for grant in scope[3:].split(",") if grant)


# The first words of a statement that writes one table, as Django writes them ("INSERT INTO "t"",
# "UPDATE "t"", "DELETE FROM "t""); statements that write nothing.
_WRITES_ONE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE
)
_WRITES_NONE = re.compile(
    r"\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|SHOW|PRAGMA|EXPLAIN|VALUES)\b", re.IGNORECASE
)


class WrittenTables:
    """The tables the statements run while `watching()` change (`tables`): an execute wrapper on every
    database connection of this thread. A statement it cannot read as a write to one named table, or
    as a statement that writes nothing, counts as a write to every table (`EVERY_TABLE`)."""

    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        if not isinstance(sql, str):
            self.tables.add(EVERY_TABLE)
        elif not _WRITES_NONE.match(sql):
            found = _WRITES_ONE.match(sql)
            self.tables.add(found.group(1) if found else EVERY_TABLE)
        return execute(sql, params, many, context)

    def watching(self) -> contextlib.ExitStack:
        return _on_every_connection(self)


def _on_every_connection(wrapper) -> contextlib.ExitStack:
    """`wrapper` installed as an execute wrapper on every database connection of this thread, for the
    length of the returned context."""
    stack = contextlib.ExitStack()
    for alias in connections:
        stack.enter_context(connections[alias].execute_wrapper(wrapper))
    return stack


def served_as_of() -> datetime.datetime | None:
    """When the oldest figures served behind the data in this request were computed (local time), or
    None when every figure served is current: for the page's line and the API's header."""
    served = _as_of.get()
    if served is None:
        return None
    return timezone.localtime(datetime.datetime.fromtimestamp(served, tz=datetime.UTC))


def start_request() -> None:
    _as_of.set(None)


def cached(
    name: str,
    compute: Callable[[], Any],
    *,
    depends_on: Iterable[str | type[models.Model]],
    scope: str,
    parts: Iterable[Any] = (),
    timeout: int | None = None,
    scope_tables: bool = True,
    stale_for: Any = None,
) -> Any:
    """`compute()`'s value for this scope and these parameters while the tables it reads are unchanged.
    One query (the version) and a cache read when it is there; otherwise computed and stored.
    `scope_tables=False` when `parts` hold the very statement computed, its scope included (the units
    and organizations it reads are then named in `depends_on` like any other table).

    `stale_for` (the user the figures are for; a dashboard's): the value computed under an older version
    is served while it is under `stale_seconds()` old, or while another request computes it again (up to
    COMPUTING_GRACE seconds more), unless that user has since written a table it reads (see the module's
    docstring); `served_as_of()` then tells the page when it was computed.

    With settings.STIMS_CHECK_DEPENDS_ON (the tests), `compute()` is refused when it reads a tracked table
    `depends_on` does not name (`UndeclaredTables`)."""
    depends_on = tuple(depends_on)
    key = key_for(name, scope, parts)
    claimed = False
    current = version(depends_on, scope_tables=scope_tables)
    entry = cache.get(key)
    if isinstance(entry, Entry):
        if entry.version == current:
            return entry.value
        lag = stale_seconds()
        if stale_for is not None and lag > 0:
            tables = tables_of(depends_on, scope_tables=scope_tables and scope_reads_tables(scope))
            age = _now() - entry.computed_at
            if not _wrote_since(entry, stale_for, tables) and (
                age < lag
                # Older: one request computes them again (it claims them), the others meanwhile get these.
                or (age < lag + COMPUTING_GRACE and not (claimed := _claim(key)))
            ):
                oldest = _as_of.get()
                _as_of.set(entry.computed_at if oldest is None else min(oldest, entry.computed_at))
                return entry.value
    started = _now()
    try:
        if getattr(settings, "STIMS_CHECK_DEPENDS_ON", False):
            value = _checked(name, compute, depends_on, scope_tables and scope_reads_tables(scope))
        else:
            value = compute()
        cache.set(key, Entry(current, started, value), TIMEOUT if timeout is None else timeout)
    finally:
        if claimed:
            cache.delete(_computing_key(key))
    return value


def _claim(key: str) -> bool:
    """Claims the computation of the figures under `key` for this request; False when another request
    has claimed it in the last COMPUTING_GRACE seconds (and not finished)."""
    return cache.add(_computing_key(key), True, COMPUTING_GRACE)


_READS = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"', re.IGNORECASE)


class UndeclaredTables(AssertionError):
    """A cached computation read a tracked table its `depends_on` does not name."""


def reading(compute: Callable[[], Any]) -> tuple[Any, dict[str, str]]:
    """`compute()`'s value and the tables its statements read (the `FROM`/`JOIN` names the ORM quotes),
    each with the first statement that read it."""
    read: dict[str, str] = {}

    def watch(execute, sql, params, many, context):
        if isinstance(sql, str):
            for table in _READS.findall(sql):
                read.setdefault(table, sql)
        return execute(sql, params, many, context)

    with _on_every_connection(watch):
        value = compute()
    return value, read


def _checked(name: str, compute: Callable[[], Any], depends_on: tuple, scope_tables: bool) -> Any:
    """`compute()`, checking that every tracked table its statements read is among those `depends_on`
    names (with the scope's tables when the scope reads them): otherwise a write to that table would
    neither move the version nor, for its writer, stop the figures lagging (settings
    STIMS_CHECK_DEPENDS_ON, on in the tests)."""
    value, read = reading(compute)
    declared = set(tables_of(depends_on, scope_tables=scope_tables))
    missing = sorted(t for t in read if t in _tracked_table_names() and t not in declared)
    if missing:
        raise UndeclaredTables(
            f"{name} reads {', '.join(missing)}, which its depends_on does not name: {read[missing[0]]}"
        )
    return value
