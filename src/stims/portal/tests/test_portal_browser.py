"""The portal in Chromium over the demo data, as an anonymous visitor at an office laptop's 1366×768 and
a phone's 390×844: every kind of public page answers, fits the screen (no horizontal overflow) and has
no serious or critical axe-core violation; a commune sends a task proposal through the form as a person
does and follows it with its tracking code. `slow` (the demo data takes a while to load)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stims.core.tests.crawl import DESKTOP, PHONE, axe_violations, load_demo, open_tab
from stims.portal.models import NewsArticle, NewsCategory, PortalProposal
from stims.portal.public import CATALOGUES

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def portal_urls() -> list[str]:
    article = (
        NewsArticle.objects.public().filter(image__gt="").first() or NewsArticle.objects.public().first()
    )
    key = "products"
    return [
        "/",
        reverse("portal:news_list"),
        reverse("portal:news_list") + "?q=dinh+hoa&date_from=01/01/2023&date_to=31/12/2023",
        NewsCategory.objects.first().get_public_url(),
        article.get_public_url(),
        reverse("portal:calendar") + "?week=2023-03-13",
        reverse("portal:catalogues"),
        reverse("portal:catalogue", args=[key]),
        reverse("portal:catalogue_record", args=[key, CATALOGUES[key].rows().first().pk]),
        reverse("portal:proposal"),
        reverse("portal:track"),
    ]


def test_portal_pages_fit_and_pass_axe_on_a_laptop_and_a_phone(browser, live_server, transactional_db):
    load_demo()
    problems = {}
    for viewport in (DESKTOP, PHONE):
        tab = open_tab(browser, live_server, None, viewport)
        page = tab.page
        for url in portal_urls():
            response = page.goto(url)
            where = f"{url} at {viewport['width']}px"
            if response is None or response.status != 200:
                problems[where] = [f"HTTP {response.status if response else '?'}"]
                continue
            found = []
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                found.append(f"{overflow}px horizontal overflow")
            found += [f"axe {v['impact']} {v['id']}: {v['targets']}" for v in axe_violations(page)]
            if found:
                problems[where] = found
        if tab.errors:
            problems[f"errors at {viewport['width']}px"] = tab.errors
        tab.close()
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())


def test_a_commune_sends_a_proposal_and_follows_it_with_its_code(browser, live_server, transactional_db):
    load_demo()
    tab = open_tab(browser, live_server, None, PHONE)
    page = tab.page
    page.goto(reverse("portal:proposal"))
    page.get_by_label("Đơn vị đề xuất là").select_option("commune")
    page.get_by_label("Tên xã, viện/trường hoặc doanh nghiệp").fill("UBND xã Ba Chẽ")
    page.locator("#id_ordering_unit").select_option(index=1)
    page.get_by_label("Tên nhiệm vụ đề xuất").fill("Ứng dụng công nghệ sấy lạnh trà hoa vàng")
    page.get_by_label("Vấn đề cần giải quyết và mục tiêu").fill("Giữ màu và hương của trà hoa vàng.")
    page.get_by_label("Người liên hệ").fill("Nguyễn Văn A")
    page.locator("#id_contact_email").fill("xa.bache@example.vn")
    page.get_by_role("button", name="Gửi đề xuất").click()
    page.wait_for_url("**/proposals/track/**")
    proposal = PortalProposal.objects.get(task__title="Ứng dụng công nghệ sấy lạnh trà hoa vàng")
    assert proposal.tracking_code in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("proposal-status").is_visible()
    assert proposal.task.submitted_at is not None
    assert tab.errors == []
    tab.close()
