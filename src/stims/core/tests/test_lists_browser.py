"""Every list page the menus offer filters as a person uses it, over the demo data, in Chromium: type a
word seen in the list into its search box and press Enter, and fewer rows come back (as many as the
page's own filter set finds for that word); press Filter with every filter untouched, and all rows
come back; a search that finds nothing says which filters are active. Then a few pages are checked
at office-laptop and phone size (the full crawl of every role is test_crawl_browser.py, `slow`).

One test: the demo data is loaded once into the live server's database (about half a minute)."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve
from django_filters.views import FilterView
from playwright.sync_api import expect

from stims.accounts.models import User
from stims.core.tables import SEARCH_COUNT_CAP
from stims.core.text import fold

from .browser import TIMEOUT_MS
from .crawl import (
    DESKTOP,
    PHONE,
    focus_problems,
    layout_problems,
    load_demo,
    menu_urls,
    open_tab,
    record_count,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)

USER = "chuyenvien"  # the division specialist sees every list


def has_search_box(html: str) -> bool:
    """Whether the page's main content holds a filter form with a search box (`#id_q`)."""
    main = html.split("<main", 1)[-1]
    form = re.search(r'<form[^>]*data-testid="filters".*?</form>', main, re.S)
    return form is not None and 'id="id_q"' in form.group(0)


def filtered_count(path: str, user, params: dict) -> int:
    """How many rows the list's own view and filter set give for `params` (what the page must show)."""
    match = resolve(path)
    request = RequestFactory().get(path, params)
    request.user = user
    view = match.func.view_class()
    view.setup(request, *match.args, **match.kwargs)
    view.object_list = None
    filterset = view.get_filterset(view.get_filterset_class())
    return filterset.qs.count()


def search_term(page, path: str, user, total: int) -> tuple[str, int]:
    """A word shown in the list that finds some rows but not all, typed without diacritics as people
    type it ("bao thai"), and how many rows it finds."""
    cells = page.locator("main table tbody tr:nth-child(-n+10) td").all_inner_texts()
    tried = set()
    for cell in cells:
        for word in fold(cell).split():
            if len(word) < 3 or word in tried or word.isdigit():
                continue
            tried.add(word)
            found = filtered_count(path, user, {"q": word})
            if 0 < found < total:
                return word, found
    raise AssertionError(f"{path}: no word shown finds some rows but not all ({cells[:5]})")


@pytest.mark.slow  # every list page typed into in Chromium (37 s): a proof for CI's slow tier
def test_every_list_filters_as_typed_and_the_pages_fit(browser, live_server, transactional_db):
    load_demo()
    user = User.objects.get(username=USER)
    tab = open_tab(browser, live_server, USER)
    page = tab.page
    # Which menu pages are lists with a search box: read through the test client (a browser's page
    # view each would double the test's time); every list is then used in the browser.
    reader = Client()
    reader.force_login(user)
    lists = [url for url in menu_urls(page) if has_search_box(reader.get(url).content.decode())]
    assert len(lists) >= 14, lists  # organizations, people, products, IP assets, tasks, directives…

    checked = []
    for url in lists:
        page.goto(url)
        assert issubclass(resolve(url).func.view_class, FilterView), url
        total = record_count(page)
        assert total == filtered_count(url, user, {}), url
        if total < 2:
            continue  # nothing to narrow (the demo has no startup)
        word, expected = search_term(page, url, user, total)
        form = page.locator("main form[data-testid=filters]")
        box = form.locator("#id_q")
        box.fill(word)
        with page.expect_navigation():
            box.press("Enter")
        # A searched list counts up to SEARCH_COUNT_CAP rows, then says "hơn 1.000".
        shown = min(expected, SEARCH_COUNT_CAP)
        assert record_count(page) == shown and expected < total, (
            url,
            page.url,
            word,
            record_count(page),
            expected,
            total,
        )
        if expected > SEARCH_COUNT_CAP:
            expect(page.get_by_test_id("record-count")).to_contain_text("hơn")
        expect(form.locator("#id_q")).to_have_value(word)

        # Filter pressed with every filter untouched: all rows.
        page.goto(url)
        page.locator("main form[data-testid=filters] button[type=submit]").click()
        page.wait_for_url("**?*")
        assert record_count(page) == total, (url, "untouched filters", page.url)
        checked.append((url, word, expected, total))
    narrowed = {url for url, *_ in checked}
    assert len(narrowed) >= 12, (sorted(set(lists) - narrowed), checked)

    # A search that finds nothing says which filters are active.
    page.goto("/products/")
    form = page.locator("main form[data-testid=filters]")
    form.locator("select[name=stars]").select_option("5")
    form.locator("#id_q").fill("bao thai")
    form.locator("#id_q").press("Enter")
    expect(page.get_by_test_id("no-match")).to_contain_text("“bao thai”")
    expect(page.get_by_test_id("no-match")).to_contain_text("★★★★★")

    # A few pages at office-laptop and phone size (every page and role: test_crawl_browser.py).
    problems = {}
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for url in ("/", "/tasks/", "/registries/", "/meetings/dashboard/"):
            page.goto(url)
            found = layout_problems(page) + (focus_problems(page) if url == "/" else [])
            if found:
                problems[f"{url} at {viewport['width']}px"] = found
    tab.close()
    assert problems == {}
    assert tab.errors == []
