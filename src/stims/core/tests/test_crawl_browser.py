"""The crawl: each demo role signed in, every page its menus offer, at an office laptop's 1366×768 and a
phone's 390×844, in Chromium over the demo data. On every page: no 4xx/5xx answer, no horizontal
overflow of the page, the account (user name, Log out) within reach, a skip link to the content, and no
serious or critical violation reported by axe-core (from the npm registry, injected by Playwright).

`slow` (a few minutes: several hundred page views, axe on each page's first view at each size); the list test
(test_lists_browser.py) checks a few pages the same way in the normal run."""

from __future__ import annotations

import pytest

from .crawl import DESKTOP, PHONE, ROLES, focus_problems, layout_problems, load_demo, menu_urls, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.once]


def _on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# The pages, their layout and their accessibility do not depend on the database: CI crawls once, on SQLite
# (the PostgreSQL run would repeat ten minutes of the same page views).
@pytest.mark.skipif(_on_postgresql(), reason="the interface is the same on both databases; crawled on SQLite")
def test_every_menu_page_of_every_role_answers_fits_and_passes_axe(browser, live_server, transactional_db):
    load_demo()
    problems: dict[str, list[str]] = {}
    visited = 0
    # Each page is checked at each size once, by the first role that reaches it: the administrator,
    # first, sees every page with every button (the widest rendering of each); a later role's view of
    # the same page differs only by rows and buttons the administrator's already holds. Every role's
    # home page is checked (its own top bar and menus, on every page alike, and its own panels), and
    # so is any page a later role reaches that the administrator's menus do not offer. That every menu
    # link of every role answers 200 is proved through the test client (test_navigation.py).
    axed: set[tuple[str, int]] = set()
    for username in ROLES:
        for viewport in (DESKTOP, PHONE):
            tab = open_tab(browser, live_server, username, viewport)
            page = tab.page
            for url in menu_urls(page):
                if url != "/" and (url, viewport["width"]) in axed:
                    continue
                response = page.goto(url)
                visited += 1
                where = f"{username} {url} at {viewport['width']}px"
                if response is None or response.status >= 400:
                    problems[where] = [f"HTTP {response.status if response else '?'}"]
                    continue
                first_view = (url, viewport["width"]) not in axed
                axed.add((url, viewport["width"]))
                found = layout_problems(page, axe=first_view)
                if found:
                    problems[where] = found
            # Every control of the home page (skip link, top bar, …) shows the keyboard focus.
            page.goto("/")
            found = focus_problems(page, presses=40)
            if found:
                problems[f"{username} / keyboard at {viewport['width']}px"] = found
            tab.close()
            if tab.errors:
                problems[f"{username} at {viewport['width']}px"] = tab.errors
    assert visited > 70  # the administrator's pages at two sizes and every role's home page
    assert len(axed) > 60  # every menu page at both sizes passed through axe
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())
