"""Helpers of the browser tests that walk the pages over the demo data (test_lists_browser.py,
test_crawl_browser.py): the demo data in the live server's database, a browser context signed in as
a demo user, the pages the menus offer, and the layout and accessibility checks of one page.

axe-core comes from the npm registry (package.json, `make install`) and is injected by Playwright; the
context bypasses the Content-Security-Policy for that injection only (the CSP itself is tested in
test_csp_browser.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client

from .browser import TIMEOUT_MS

AXE = settings.NODE_MODULES_DIR / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# The demo roles (stims.demo.accounts.USERS) and the superuser.
ROLES = ("admin", "lanhdao", "chuyenvien", "thanhtra", "canbo.bache", "hoidong", "xem")


def load_demo() -> None:
    """The demo data in the (flushed) live-server database: built once per test process (seeds, units,
    `stims demo`), then copied back (stims.testing.DemoSnapshot.load_committed)."""
    from stims.testing import demo_snapshot

    demo_snapshot.load_committed()


@dataclass
class Tab:
    """A signed-in browser tab and what went wrong on it (server errors, JavaScript errors)."""

    page: object
    errors: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.page.context.close()


def open_tab(browser, live_server, username: str | None, viewport=DESKTOP) -> Tab:
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport=viewport,
        bypass_csp=True,  # for axe-core's injection only
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page)
    page.on("pageerror", lambda error: tab.errors.append(f"JavaScript error: {error}"))
    page.on(
        "response",
        lambda r: r.status >= 500 and tab.errors.append(f"HTTP {r.status} from {r.request.method} {r.url}"),
    )
    if username is not None:
        from stims.accounts.models import User

        client = Client()
        client.force_login(User.objects.get(username=username))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return tab


def menu_urls(page) -> list[str]:
    """The home page and every page the menus offer to the signed-in user, in menu order."""
    page.goto("/")
    hrefs = page.locator("#main-nav .dropdown-menu a.dropdown-item").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    urls = ["/"]
    for href in hrefs:
        if href not in urls:
            urls.append(href)
    return urls


def record_count(page) -> int:
    """The number on the "N records" line of a list page: "14.149 bản ghi", "hơn 1.000 bản ghi" (a
    searched list's count stops at core.tables.SEARCH_COUNT_CAP), "khoảng 1.000.000 bản ghi"."""
    text = page.get_by_test_id("record-count").inner_text()
    number = next(word for word in text.split() if any(c.isdigit() for c in word))
    return int(re.sub(r"[^\d]", "", number))


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def layout_problems(page, *, axe: bool = True) -> list[str]:
    """What is wrong with the page shown: horizontal overflow, the account (user, Log out) out of
    reach, no skip link to the content, axe-core's serious or critical violations."""
    problems = []
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        widest = page.evaluate(
            """() => { const w = innerWidth; let worst = null;
               for (const el of document.querySelectorAll('body *')) {
                 const r = el.getBoundingClientRect();
                 if (r.right > w + 1 && (!worst || r.width < worst.width)) worst = {tag: el.tagName,
                   cls: el.className && el.className.baseVal === undefined ? el.className : '', width: r.width,
                   right: r.right};
               } return worst; }"""
        )
        problems.append(f"{overflow}px horizontal overflow ({widest})")
    width = page.evaluate("window.innerWidth")
    for test_id in ("current-user",):
        box = page.get_by_test_id(test_id).bounding_box()
        if box is None or box["x"] < 0 or box["x"] + box["width"] > width + 0.5:
            problems.append(f"{test_id} out of reach ({box})")
    log_out = page.locator("nav form[action$='/logout/'] button")
    box = log_out.bounding_box() if log_out.count() else None
    if box is None or box["x"] + box["width"] > width + 0.5 or not log_out.is_visible():
        problems.append(f"Log out out of reach ({box})")
    if page.locator("a.skip-link[href='#content']").count() != 1 or page.locator("#content").count() != 1:
        problems.append("no skip link to #content")
    if axe:
        for violation in axe_violations(page):
            problems.append(
                f"axe {violation['impact']} {violation['id']} on {violation['nodes']} nodes: {violation['targets']}"
            )
    return problems


def top_bar_width(page) -> float:
    """The width the top bar's content asks for (its scrollWidth), in CSS pixels."""
    return page.evaluate("document.querySelector('nav.navbar').scrollWidth")


FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  // An outline, not Bootstrap's pale focus shadow (invisible on the blue bar).
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const label = (el.getAttribute('aria-label') || el.textContent || el.name || el.tagName).trim().slice(0, 40);
  return {ring, label, tag: el.tagName, visible: el.getClientRects().length > 0};
}"""


def focus_problems(page, presses: int = 25) -> list[str]:
    """Tab through the first `presses` controls of the page (the skip link first, then the top bar):
    each one focused shows a ring (an outline of 2 px or more)."""
    problems = []
    page.locator("body").focus()
    for index in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_RING)
        if focused is None:
            break
        if index == 0 and "skip" not in (page.evaluate("document.activeElement.className") or ""):
            problems.append(f"the first Tab reaches {focused['label']!r}, not the skip link")
        if focused["visible"] and not focused["ring"]:
            problems.append(f"no visible focus on {focused['tag']} {focused['label']!r}")
    return problems
