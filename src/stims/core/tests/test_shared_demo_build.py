"""The demo build is shared by the test processes (stims.testing.SharedBuild): a process that finds the
build another one wrote for a database in the same state copies it instead of running `stims demo`, and
gets the same rows, the same output and the same stored files."""

import datetime
import json

import pytest
from django.conf import settings
from django.core import management
from django.db import connection, transaction
from django.utils import timezone

from stims.core.aggregates import VERSION_TABLE
from stims.testing import DemoSnapshot, SharedBuild, demo_snapshot


def every_table() -> dict[str, list[dict]]:
    """Every table's rows; of the data versions only which tables have one (core.aggregates counts the
    writes, and a copy writes the tables in another order and number than the build)."""
    found = {}
    with connection.cursor() as cursor:
        for table, (pk, _) in DemoSnapshot._tables().items():
            read = demo_snapshot._read(cursor, table, pk)
            if connection.vendor == "postgresql":
                rows = json.loads(read)
            else:
                columns, values = read
                rows = [dict(zip(columns, row, strict=True)) for row in values]
            if table == VERSION_TABLE:
                rows = [{"table_name": row["table_name"]} for row in rows]
            found[table] = rows
    return found


@pytest.mark.slow
def test_a_new_process_copies_the_shared_build_with_its_files_and_runs_no_demo(db, monkeypatch):
    with connection.cursor() as cursor:
        shared = SharedBuild(connection.vendor, demo_snapshot.state(cursor))
    with transaction.atomic():
        demo_snapshot.load()  # this process's build, or the copy of one another process shared
        expected = every_table()
        transaction.set_rollback(True)
    # Another process's storage may lack the files the build stored (the portal article's image).
    with shared:
        stored = dict(shared._media)
    assert stored, "the demo stores the portal article's image"
    for name in stored:
        (settings.MEDIA_ROOT / name).unlink(missing_ok=True)

    def no_demo(*args, **kwargs):
        raise AssertionError("the demo was built again instead of copied from the shared build")

    monkeypatch.setattr(management, "call_command", no_demo)
    fresh = DemoSnapshot()  # a new process's
    with transaction.atomic():
        fresh.load()
        assert every_table() == expected
        transaction.set_rollback(True)
    assert fresh.output == demo_snapshot.output and "Registries (demo)" in fresh.output
    assert all((settings.MEDIA_ROOT / name).read_bytes() for name in stored)


def test_a_database_in_another_state_or_of_another_vendor_gets_another_build():
    state = {"orgs_organization": (0, None, None)}
    other = {"orgs_organization": (1, 1, 1)}
    assert SharedBuild("sqlite", state).path == SharedBuild("sqlite", dict(state)).path
    assert SharedBuild("sqlite", state).path != SharedBuild("sqlite", other).path
    assert SharedBuild("sqlite", state).path != SharedBuild("postgresql", state).path


@pytest.mark.django_db
def test_a_build_of_another_day_is_neither_copied_nor_shared(monkeypatch):
    """The demo dates deadlines, licences and inspections from today: after local midnight a process
    builds the demo again rather than copy its own snapshot or the shared file of the day before (a
    second run of `stims demo` on top of a stale copy changed the inspections and failed the demo's
    idempotence tests)."""
    with connection.cursor() as cursor:
        today = demo_snapshot.state(cursor)
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2031, 1, 1))
        that_day = demo_snapshot.state(cursor)
    assert today != that_day
    assert {key: value for key, value in today.items() if key != "today"} == {
        key: value for key, value in that_day.items() if key != "today"
    }
    assert SharedBuild(connection.vendor, today).path != SharedBuild(connection.vendor, that_day).path


@pytest.mark.django_db
def test_a_committed_demo_of_another_day_is_built_again(monkeypatch):
    """The live-server tests' committed demo (`load_committed`) is copied back the same day only: after
    local midnight the process builds it again, as it does its snapshot."""
    from stims import testing

    class BuiltAgain(Exception):
        pass

    def build_again():
        raise BuiltAgain

    snapshot = DemoSnapshot()
    snapshot.committed = {table: [] for table in DemoSnapshot._tables()}
    snapshot.committed_on = timezone.localdate() - datetime.timedelta(days=1)
    monkeypatch.setattr(testing, "reseed_reference_data", build_again)
    with pytest.raises(BuiltAgain):
        snapshot.load_committed()
