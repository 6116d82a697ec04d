"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against a live server.

Chromium is never downloaded: the tests use /usr/bin/chromium (`apt-get install chromium`) and fail
with a clear message when it is missing. The live server runs in a transactional test that flushes
the database afterwards, removing the administrative units loaded once per session; `units` puts
them back from an in-memory copy (a second or so, instead of the loader's fifteen).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium tries to reach Google's servers.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long a locator waits for the page (ms): generous for a loaded CI machine, never reached normally.
TIMEOUT_MS = 10_000

_unit_rows: dict[str, list[dict]] = {}


def _snapshot_units() -> None:
    from stims.geo.models import AdminUnit, AdminUnitSuccession

    _unit_rows["units"] = list(AdminUnit.objects.order_by("pk").values())
    _unit_rows["successions"] = list(AdminUnitSuccession.objects.order_by("pk").values())


def ensure_units() -> None:
    """Makes sure the administrative units are in the database (the live server flushes them)."""
    from stims.geo.loader import load_units
    from stims.geo.models import AdminUnit, AdminUnitSuccession

    if AdminUnit.objects.exists():
        if not _unit_rows:
            _snapshot_units()
        return
    if not _unit_rows:
        load_units()
        _snapshot_units()
        return
    with transaction.atomic():  # foreign keys (parent, province) are checked at commit
        AdminUnit.objects.bulk_create([AdminUnit(**row) for row in _unit_rows["units"]], batch_size=2000)
        AdminUnitSuccession.objects.bulk_create(
            [AdminUnitSuccession(**row) for row in _unit_rows["successions"]], batch_size=2000
        )
    # Explicit keys do not move PostgreSQL's sequences: move them, so later inserts do not collide.
    statements = connection.ops.sequence_reset_sql(no_style(), [AdminUnit, AdminUnitSuccession])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (each test gets its own context: cookies, language)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}; install it with "
            "`apt-get install chromium` (never `playwright install`).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make in the
    # same thread (creating records, checking them) are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def units(browser, live_server, transactional_db):
    ensure_units()


@pytest.fixture
def page(browser, live_server, units):
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def log_in(page, live_server):
    """Signs a user in without the login form (the form itself is tested once): log_in(user)."""

    def sign_in(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    return sign_in
