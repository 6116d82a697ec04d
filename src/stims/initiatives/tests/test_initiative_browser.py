"""In a real browser, as people do it: Ba Chẽ's officer submits an initiative and names its authors; the
department puts it before the district's council; a council member scores their own sheet and the
secretariat enters the other; the scoring closes and the department's leader recognises it by decision
with a scope of effect and a reward, which the report then counts."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.core.tests.test_browser import choose_in_search_select
from stims.initiatives.models import CouncilRound, Initiative, InitiativeState, RoundMember
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


def switch_to(page, log_in, user):
    page.context.clear_cookies()
    log_in(user)


def test_an_initiative_from_application_to_recognition(page, log_in, units):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    committee = Organization.objects.create(
        name="UBND huyện Ba Chẽ", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=ba_che
    )
    member_user = make_user("council_member", username="hoidong")
    council_round = CouncilRound.objects.create(
        name="Hội đồng xét sáng kiến huyện Ba Chẽ năm 2023",
        year=2023,
        admin_unit=ba_che,
        convened_by=committee,
    )
    own = RoundMember.objects.create(round=council_round, name="Lý Văn Thắng", role="chair", user=member_user)
    other = RoundMember.objects.create(round=council_round, name="Ma Thị Hồng", role="secretary")

    # The locality's officer submits the application and names its author.
    log_in(make_user("local_officer", admin_unit=ba_che, username="canbo.bache"))
    page.goto(reverse("initiatives:initiative_add"))
    page.fill("#id_title", "Sổ tay điện tử hướng dẫn ghi nhãn hàng hoá")
    choose_in_search_select(page, "agency", "ba che", committee.pk)
    page.fill("#id_field", "Tiêu chuẩn, đo lường, chất lượng")
    page.fill("#id_submitted_on", "02/10/2023")
    page.fill("#id_description", "Hướng dẫn từng bước ghi nhãn cho cơ sở OCOP.")
    page.fill("#id_benefits", "Cơ sở tự ghi nhãn đúng quy định.")
    page.locator("main form button[type=submit]").click()
    initiative = Initiative.objects.get(title="Sổ tay điện tử hướng dẫn ghi nhãn hàng hoá")
    expect(page.get_by_test_id("state")).to_contain_text("Đã nộp")
    page.get_by_role("link", name="Thêm tác giả").click()
    page.fill("#id_name", "Đặng Thị Thuý")
    page.fill("#id_contribution", "100")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("authors")).to_contain_text("Đặng Thị Thuý")
    expect(page.get_by_test_id("move-start_review")).to_have_count(0)  # the officer moves nothing

    # The department puts it before the council.
    specialist = make_user("specialist", username="chuyenvien")
    switch_to(page, log_in, specialist)
    page.goto(reverse("initiatives:initiative_detail", args=[initiative.pk]))
    form = page.get_by_test_id("move-start_review")
    form.locator("#id_round").select_option(str(council_round.pk))
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("state")).to_contain_text("Đang xét")

    # The council member scores their own sheet; the secretariat enters the other member's.
    switch_to(page, log_in, member_user)
    page.goto(reverse("initiatives:initiative_detail", args=[initiative.pk]))
    sheet = page.get_by_test_id("sheet-form")
    expect(sheet.locator("#id_member option")).to_have_count(1)
    sheet.locator("#id_member").select_option(str(own.pk))
    sheet.locator("#id_novelty").fill("26")
    sheet.locator("#id_applicability").fill("27")
    sheet.locator("#id_benefit").fill("35")
    sheet.locator("button[type=submit]").click()
    expect(page.get_by_test_id("sheets")).to_contain_text("88")
    switch_to(page, log_in, specialist)
    page.goto(reverse("initiatives:initiative_detail", args=[initiative.pk]))
    sheet = page.get_by_test_id("sheet-form")
    sheet.locator("#id_member").select_option(str(other.pk))
    sheet.locator("#id_novelty").fill("25")
    sheet.locator("#id_applicability").fill("26")
    sheet.locator("#id_benefit").fill("34")
    sheet.locator("button[type=submit]").click()
    expect(page.get_by_test_id("sheets")).to_contain_text("85")
    page.get_by_test_id("move-close_scoring").locator("button[type=submit]").click()
    expect(page.get_by_test_id("state")).to_contain_text("Đã chấm điểm")
    expect(page.get_by_test_id("move-recognise")).to_have_count(0)  # the leader decides

    # The leader recognises it; a date in the future is refused first, with its reason.
    switch_to(page, log_in, make_user("leader", username="lanhdao"))
    page.goto(reverse("initiatives:initiative_detail", args=[initiative.pk]))
    form = page.get_by_test_id("move-recognise")
    form.locator("#id_decision_number").fill("2011/QĐ-UBND")
    form.locator("#id_decision_date").fill("15/12/2099")
    form.locator("#id_effect_scope").select_option("locality")
    form.locator("#id_reward").fill("2.500.000")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("move-recognise")).to_contain_text("Ngày quyết định không thể ở tương lai.")
    form = page.get_by_test_id("move-recognise")
    form.locator("#id_decision_date").fill("15/12/2023")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("state")).to_contain_text("Được công nhận")
    expect(page.get_by_test_id("state")).to_contain_text("2011/QĐ-UBND")
    initiative.refresh_from_db()
    assert (initiative.state, initiative.decision_date, initiative.reward) == (
        InitiativeState.RECOGNISED,
        datetime.date(2023, 12, 15),
        2_500_000,
    )
    page.goto(reverse("initiatives:report") + "?year=2023")
    expect(page.get_by_test_id("report-total")).to_contain_text("1")
    expect(page.locator("main table")).to_contain_text("UBND huyện Ba Chẽ")
