"""Test fixtures shared by every app.

The official administrative units (14,000+ rows) are loaded once per test database, with the same
loader as `stims load_units`; each test then runs in a transaction that is rolled back.
"""

import pytest

# Browser fixtures live in one place so that every browser test module shares one Chromium session
# (two session-scoped Playwright instances in one process would collide).
from stims.core.tests.browser import (  # noqa: F401 (fixtures)
    browser_fixture,
    log_in_fixture,
    page_fixture,
    unit_snapshot_fixture,
    units_fixture,
)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """One test database per process (per xdist worker), built from the models rather than by running
    the 85 migrations, then given the reference data the migrations and `stims load_units` would
    have left in it (see stims.core.tests.reference_data). `migrate` itself is proved by
    core/tests/test_migrating.py (the slow tier: the migrations build the schema these models describe)
    and on an empty PostgreSQL database in CI. With STIMS_TEST_MIGRATIONS=1 the database is migrated
    instead."""
    import os

    from django.test.utils import override_settings, setup_databases, teardown_databases

    from stims.core.tests import reference_data
    from stims.testing import reseed_reference_data

    migrate = os.environ.get("STIMS_TEST_MIGRATIONS", "") == "1"
    _no_commit_flush()
    with django_db_blocker.unblock():
        if migrate:
            db_cfg = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
        else:
            with override_settings(MIGRATION_MODULES=reference_data.DisabledMigrations()):
                db_cfg = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
            reference_data.record_migrations_applied()
            reseed_reference_data()
        reference_data.ensure_units()
    reference_data.keep_units_across_flushes()
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=0)


def _no_commit_flush() -> None:
    """PostgreSQL test databases commit without waiting for the write-ahead log to reach the disk
    (`synchronous_commit=off`, a setting of each connection). A test database is thrown away, so a commit
    lost in a crash costs nothing; what a test sees is unchanged (every transaction is still atomic and
    isolated). On these machines a commit that waits for the disk takes about 10 ms against 0.6 ms, and
    the tests that commit — building each worker's database, live servers, flushes — commit thousands
    of times."""
    from django.db import connections

    for connection in connections.all(initialized_only=False):
        if connection.vendor == "postgresql":
            options = connection.settings_dict.setdefault("OPTIONS", {})
            if "synchronous_commit" not in options.get("options", ""):
                options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
            connection.close()


def flushes(item) -> bool:
    """Whether a test flushes its database when it ends: a transactional test (live server, browser,
    dropped connection, killed worker). Such tests load the reference data they need themselves."""
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    fixtures = getattr(item, "fixturenames", ())
    return (
        item.get_closest_marker("browser") is not None
        or transactional
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


# The fixtures through which a test reaches the database; pytest-django refuses any other access.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_setup",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "demo_data",
    }
)


def uses_database(item) -> bool:
    """Whether a test can reach the database at all. One that cannot (pytest-django blocks every query
    of a test without the `django_db` marker or a database fixture) proves the same thing whichever
    database is configured, so CI runs it once, on SQLite (marker `once`)."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_finish(session):
    """Each test process settles once its tests are collected, as a gunicorn worker does after start-up
    (stims.core.serving): what collection imported — Django, every app, the views, the test modules —
    is frozen out of garbage collection, and the thresholds are raised. The permission matrix spent 6.3 s
    of its 76 s in collections, 2.9 s after."""
    from stims.core import serving

    serving.settle()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Flushing tests are marked `serial` (`make test` runs them in one process after the parallel
    # tier) and run last, so the reference data every test database starts with is there for every
    # other test of the same process. Tests that cannot reach the database are marked `once`.
    for item in items:
        if flushes(item):
            item.add_marker(pytest.mark.serial)
        if not uses_database(item):
            item.add_marker(pytest.mark.once)
    items.sort(key=flushes)


@pytest.fixture(autouse=True)
def _empty_cache():
    """API rate-limit counters live in the cache, filter forms in each process's memory
    (core.fragments); no test inherits another's."""
    from django.core.cache import cache

    from stims.core import fragments

    cache.clear()
    fragments.clear()
    yield


@pytest.fixture
def ba_che_org(db):
    """A district people's committee of the home province (old Huyện Ba Chẽ)."""
    from stims.orgs.models import Organization, OrganizationKind
    from stims.testing import unit

    return Organization.objects.create(
        name="UBND huyện Ba Chẽ",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("Huyện Ba Chẽ", legacy=True),
    )


@pytest.fixture
def binh_lieu_org(db):
    """Its neighbour (old Huyện Bình Liêu): outside a Ba Chẽ officer's scope."""
    from stims.orgs.models import Organization, OrganizationKind
    from stims.testing import unit

    return Organization.objects.create(
        name="UBND huyện Bình Liêu",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("Huyện Bình Liêu", legacy=True),
    )


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data (a record of every domain model) for a module, rolled back after it: built by
    `stims demo` the first time in a process, then copied from what that build added
    (stims.testing.DemoSnapshot; the demo command itself is tested by each app's test_demo.py)."""
    from django.db import transaction

    from stims.testing import demo_snapshot

    with django_db_blocker.unblock(), transaction.atomic():
        demo_snapshot.load()
        yield
        transaction.set_rollback(True)
