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
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from stims.geo.loader import load_units

        load_units()


def pytest_collection_modifyitems(config, items):
    # Browser tests and other transactional tests (a live server, a dropped connection, a killed
    # worker) flush the database when they end: run them last, so the units loaded once above are there
    # for every other test. Such tests load the reference data they need themselves.
    def flushes(item):
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction", False)
        return item.get_closest_marker("browser") is not None or transactional or "transactional_db" in getattr(
            item, "fixturenames", ()
        ) or "live_server" in getattr(item, "fixturenames", ())

    items.sort(key=flushes)


@pytest.fixture(autouse=True)
def _empty_cache():
    """API rate-limit counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
