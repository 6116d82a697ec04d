"""The Content-Security-Policy in a real browser: pages load with no violation and still work.

Chromium reports every blocked script, style, handler or eval on the console ("Refused to … because it
violates the following Content Security Policy directive"); these tests fail on any such message and on
any console error. Run alone with: pytest src/stims/core/tests/test_csp_browser.py
"""

import re

import pytest
from playwright.sync_api import expect

from stims.testing import make_user

from .browser import TIMEOUT_MS

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(name="console_errors")
def console_errors_fixture(page):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def test_pages_run_under_the_policy_without_a_violation(page, log_in, units, console_errors):
    log_in(make_user(role="specialist"))

    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    expect(page.get_by_test_id("current-user")).to_be_visible()
    # htmx ran its own code and did not inject its indicator <style> (base.html turns it off).
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("document.querySelectorAll('head style').length") == 0
    # Bootstrap's dropdowns (its script, our origin) still open.
    page.get_by_test_id("nav-1").click()
    expect(page.locator("nav .dropdown-menu.show")).to_be_visible()

    # The search page answers as one types (htmx) under connect-src 'self'.
    page.goto("/search/")
    page.locator("main input[name=q]").fill("ba che")
    expect(page.locator("#search-results").locator("a", has_text="Huyện Ba Chẽ").first).to_be_visible()

    # The registry dashboard draws its bars (SVG attributes, no inline style needed).
    page.goto("/registries/")
    expect(page.get_by_test_id("card-ocop").locator("svg rect").first).to_be_attached()
    assert page.get_by_test_id("card-ip").locator("svg rect").count() == 2

    # The language switch submits itself (core/stims.js, not an inline onchange handler).
    page.locator("nav select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    assert console_errors == []


def test_swagger_ui_renders_the_api_under_the_policy(page, log_in, console_errors):
    log_in(make_user(role="specialist"))

    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Its init script is a file of its own (SpectacularSwaggerSplitView), and it rendered the operations.
    assert page.locator("script:not([src])").count() == 0
    # The schema is generated on the first request: seconds of CPU on a loaded machine.
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=60_000)
    # Swagger UI's own script still works: an operation opens on a click.
    page.locator(".swagger-ui .opblock-summary").first.click()
    expect(page.locator(".swagger-ui .opblock.is-open").first).to_be_visible()
    expect(page.locator("body")).to_have_css("margin", "0px")  # core/swagger-ui-page.css, not inline <style>

    assert [error for error in console_errors if not re.search(r"favicon", error)] == []
