"""A specialist drafts a session from a conclusion notice in a real browser, sees where each proposal
came from, adds the directive the text states but the engine missed, saves, and finds it on the session.
Runs last with the other browser tests (see src/conftest.py)."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.demo.orgs import load_directory
from stims.drafting import nlp
from stims.meetings.models import WorkingSession
from stims.testing import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed"),
]
expect.set_options(timeout=TIMEOUT_MS)

NOTICE = """THÔNG BÁO
Kết luận của Giám đốc Sở tại buổi làm việc với UBND huyện Định Hóa

Ngày 27/4/2023, tại trụ sở UBND huyện Định Hóa, đồng chí Phạm Quốc Chính, Giám đốc Sở Khoa học và Công nghệ tỉnh Thái Nguyên chủ trì buổi làm việc với UBND huyện Định Hóa.

Giám đốc Sở kết luận như sau:
1. Giao Phòng Khoa học hỗ trợ huyện phục tráng giống lúa Bao Thai, thường xuyên báo cáo tiến độ.
2. Về sở hữu trí tuệ, huyện xây dựng nhãn hiệu chè Định Hóa là việc cần làm sớm.
"""


def test_drafting_a_session_and_adding_a_missed_directive_in_the_browser(page, log_in, units):
    directory = load_directory()
    log_in(make_user("specialist"))

    page.goto(reverse("meetings:draft"))
    page.locator("#id_text").fill(NOTICE)
    page.get_by_test_id("draft-form").locator("button[type=submit]").click()

    directives = page.get_by_test_id("directives")
    expect(directives.get_by_test_id("source-sentence").first.locator("mark")).to_contain_text(
        "hỗ trợ huyện phục tráng giống lúa Bao Thai"
    )
    # The marks appear while the page is still being parsed; "add a row" works once its deferred
    # script has run, which is before DOMContentLoaded (a person cannot click that fast; the test can).
    page.wait_for_load_state("domcontentloaded")
    rows = directives.get_by_test_id("directives-row")
    proposed = rows.count()

    # The reviewer records a directive the engine did not propose.
    directives.get_by_test_id("add-directives").click()
    expect(rows).to_have_count(proposed + 1)
    added = rows.nth(proposed)
    added.locator("textarea[name$='-text']").fill("Xây dựng nhãn hiệu chè Định Hóa")
    added.locator("input.search-select-query").first.fill("UBND huyện Định")
    lead = added.locator("select[name$='-lead']")
    expect(lead.locator("option", has_text="UBND huyện Định Hóa")).to_have_count(1)
    lead.select_option(label=lead.locator("option", has_text="UBND huyện Định Hóa").inner_text())
    added.locator("select[name$='-recurrence']").select_option("once")
    added.locator("input[name$='-deadline']").fill("30/06/2023")

    page.get_by_test_id("review-form").locator("button[type=submit]").click()
    conclusions = page.get_by_test_id("session-conclusions")
    expect(conclusions).to_contain_text("Xây dựng nhãn hiệu chè Định Hóa")
    session = WorkingSession.objects.get()
    added_directive = session.directives.get(text="Xây dựng nhãn hiệu chè Định Hóa")
    assert added_directive.lead_organization == directory.orgs["ubnd_h_dinhhoa"]
    assert session.directives.count() == proposed + 1


SEED_001 = (Path(__file__).parents[2] / "demo" / "demo_seeds" / "001_9896f2a58990e926.txt").read_text(
    encoding="utf-8"
)


def test_drafting_the_two_sessions_of_a_morning_and_afternoon_article_in_the_browser(page, log_in, units):
    directory = load_directory()
    log_in(make_user("specialist"))

    page.goto(reverse("meetings:draft"))
    page.locator("#id_text").fill(SEED_001)
    page.get_by_test_id("draft-form").locator("button[type=submit]").click()

    expect(page.get_by_test_id("several-sessions")).to_be_visible()
    binh_lieu, ba_che = page.get_by_test_id("session-1"), page.get_by_test_id("session-2")
    expect(binh_lieu.locator("legend")).to_contain_text("Bình Liêu")
    expect(ba_che.locator("legend")).to_contain_text("Ba Chẽ")
    expect(binh_lieu.get_by_test_id("figures")).to_contain_text("27 sản phẩm")
    expect(ba_che.get_by_test_id("figures")).to_contain_text("13 sản phẩm OCOP")
    expect(binh_lieu.get_by_test_id("figures")).not_to_contain_text("13 sản phẩm OCOP")

    # The reviewer leaves out the proposed tasks that still want a unit or a date, as a person would
    # (each row's "include" box), and saves both sessions with one confirmation.
    for section in (binh_lieu, ba_che):
        expect(section.get_by_test_id("create-session")).to_be_checked()
        rows = section.get_by_test_id("directives").get_by_test_id("directives-row")
        for index in range(rows.count()):
            row = rows.nth(index)
            lead = row.locator("select[name$='-lead']").input_value()
            once = row.locator("select[name$='-recurrence']").input_value() == "once"
            deadline = row.locator("input[name$='-deadline']").input_value()
            if not lead or (once and not deadline):
                row.locator("input[name$='-include']").uncheck()
    page.get_by_test_id("review-form").locator("button[type=submit]").click()

    expect(page.locator(".alert-success, [role=status], .messages")).to_contain_text("2")
    sessions = {s.admin_unit_id: s for s in WorkingSession.objects.all()}
    assert set(sessions) == {directory.units["old_h_binhlieu"].pk, directory.units["old_h_bache"].pk}
    ba_che_values = set(sessions[directory.units["old_h_bache"].pk].figures.values_list("value", flat=True))
    assert {13, 8, 5} <= {int(v) for v in ba_che_values}
