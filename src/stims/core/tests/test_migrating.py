"""`stims migrate` re-renders only what each change makes stale (stims.core.migrating), leaves a state with
no stale class, and builds the very schema the models describe: on an empty database, and on one
migrated half-way first (where the state starts from classes rendered before migrating). Each migration
runs in a child process on a scratch database of the suite's own kind; its schema's fingerprint (every
model table's columns, indexes and constraints) must equal the test database's, which is built straight
from the models, but for what `migrations_only` names."""

import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from stims.core.tests.migrating_child import fingerprint

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@contextmanager
def scratch_database(tmp_path):
    """An empty database of the suite's kind, dropped afterwards: its URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_migrating_{uuid.uuid4().hex[:8]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        yield f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}{port}/{name}"
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def migrated(url: str, *args: str) -> tuple[list[str], dict]:
    """Migrates the database at `url` in a child process: the stale classes its state was left with, and
    its schema's fingerprint."""
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": ""}
    result = subprocess.run(  # nosec B603 # our own interpreter and module
        [sys.executable, "-m", "stims.core.tests.migrating_child", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(
        line.split(" ", 1)
        for line in result.stdout.splitlines()
        if line.startswith(("STALE ", "FINGERPRINT "))
    )
    return json.loads(lines["STALE"]), json.loads(lines["FINGERPRINT"])


def differences(migrated: dict, models: dict) -> list[str]:
    """Per table, what only the migrated schema has (+) and what only the models' has (-)."""
    found = []
    for table in sorted(set(migrated) | set(models)):
        ours, theirs = migrated.get(table), models.get(table)
        if ours == theirs:
            continue
        if ours is None or theirs is None:
            found.append(f"{table}: migrated {ours!r}, models {theirs!r}")
            continue
        for kind, mine, wanted in zip(("column", "constraint"), ours, theirs, strict=True):
            found += [f"{table}: + {kind} {item}" for item in mine if item not in wanted]
            found += [f"{table}: - {kind} {item}" for item in wanted if item not in mine]
    return found


def migrations_only(migrated: dict) -> list[str]:
    """Takes out of `migrated` (in place) and returns what migrations give PostgreSQL on purpose beyond the
    models: the trigram indexes of `stims.core.db.trigram_index`. And one difference that is Django's own:
    its migration state gives contrib auth's auto-created `auth_group_permissions` the project's
    DEFAULT_AUTO_FIELD (bigint) where the models give it auth's (integer) — `migrate` without
    `stims.core.migrating` does the same."""
    taken = []
    for table, found in migrated.items():
        if found is None:
            continue
        columns, constraints = found
        for item in list(constraints):
            name = json.loads(item)[-1]
            if name.endswith("_search_text_trgm"):
                constraints.remove(item)
                taken.append(name)
        if table == "auth_group_permissions" and ["id", "20", False] in columns:
            columns[columns.index(["id", "20", False])] = ["id", "23", False]
    return sorted(taken)


def trigram_indexes() -> list[str]:
    """The trigram indexes the migrations create (each a RunPython made by `trigram_index`)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(
        operation.code.index_name
        for migration in loader.disk_migrations.values()
        for operation in migration.operations
        if isinstance(operation, RunPython) and hasattr(operation.code, "index_name")
    )


@pytest.mark.parametrize("start", ["empty", "half"])
def test_migrate_builds_the_schema_the_models_describe(start, tmp_path):
    models = fingerprint(connection)
    assert len(models) > 200 and all(models.values())
    with scratch_database(tmp_path) as url:
        stale, schema = migrated(url, *(["half"] if start == "half" else []))
    assert stale == []
    extra = migrations_only(schema)
    assert extra == (trigram_indexes() if connection.vendor == "postgresql" else [])
    assert differences(schema, models) == []
