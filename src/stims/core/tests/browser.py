"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against a live server.

Chromium is never downloaded: the tests use /usr/bin/chromium (`apt-get install chromium`) and fail
with a clear message when it is missing. The live server runs in a transactional test that flushes
the database afterwards, removing the administrative units the test database starts with; the
`units` fixture puts them back from the snapshot (a second or less, instead of the loader's fifteen).

Test modules import the fixtures by their function names, e.g. `from .browser import page_fixture`.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .reference_data import ensure_units

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


@pytest.fixture(scope="session", name="unit_snapshot")
def unit_snapshot_fixture(django_db_setup, django_db_blocker):
    """The units are in the session's database before the first live-server test flushes them."""
    with django_db_blocker.unblock():
        ensure_units()


@pytest.fixture(scope="session", name="browser")
def browser_fixture(unit_snapshot):
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


@pytest.fixture(name="units")
def units_fixture(unit_snapshot, live_server, transactional_db):
    """The administrative units, for the tests that use them."""
    ensure_units()


@pytest.fixture(name="page")
def page_fixture(browser, live_server, transactional_db):
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"JavaScript error: {error}"))
    # A server error fails the test even when it happens in an htmx request the test does not watch.
    tab.on(
        "response",
        lambda r: r.status >= 500 and errors.append(f"HTTP {r.status} from {r.request.method} {r.url}"),
    )
    yield tab
    context.close()
    assert not errors, errors


@pytest.fixture(name="log_in")
def log_in_fixture(page, live_server):
    """Signs a user in without the login form (the form itself is tested once): log_in(user)."""

    def sign_in(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )

    return sign_in
