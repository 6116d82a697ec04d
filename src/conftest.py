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
        return (
            item.get_closest_marker("browser") is not None
            or transactional
            or "transactional_db" in getattr(item, "fixturenames", ())
            or "live_server" in getattr(item, "fixturenames", ())
        )

    items.sort(key=flushes)


@pytest.fixture(autouse=True)
def _empty_cache():
    """API rate-limit counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def ba_che_org(db):
    """A district people's committee of the home province (old Huyện Ba Chẽ)."""
    from stims.core.testing import unit
    from stims.orgs.models import Organization, OrganizationKind

    return Organization.objects.create(
        name="UBND huyện Ba Chẽ",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("Huyện Ba Chẽ", legacy=True),
    )


@pytest.fixture
def binh_lieu_org(db):
    """Its neighbour (old Huyện Bình Liêu): outside a Ba Chẽ officer's scope."""
    from stims.core.testing import unit
    from stims.orgs.models import Organization, OrganizationKind

    return Organization.objects.create(
        name="UBND huyện Bình Liêu",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("Huyện Bình Liêu", legacy=True),
    )


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data (a record of every domain model), built once per module and rolled back after it."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
