"""In a real browser, as people do it: a leader records a programme with a target counted from the S&T
enterprise registry and one entered with evidence, sees the progress of each on the programme's page,
enters progress for the second, and sees the programme leave the behind-target list."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.core.tests.test_browser import choose_in_search_select
from stims.enterprises.models import StEnterprise
from stims.orgs.models import Organization, OrganizationKind
from stims.programmes.models import Plan
from stims.testing import make_user, unit

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


def test_a_programme_with_targets_and_their_progress(page, log_in, units):
    year = datetime.date.today().year
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    committee = Organization.objects.create(
        name="UBND huyện Ba Chẽ", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=ba_che
    )
    company = Organization.objects.create(
        name="Công ty CP Kinh doanh lâm sản Đạp Thanh", kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che
    )
    StEnterprise.objects.create(
        organization=company,
        certificate_number="01/DNKHCN",
        certificate_date=datetime.date(year, 1, 15),
        st_result="Quy trình nhân giống ba kích tím",
    )

    log_in(make_user("leader", username="lanhdao"))
    page.goto(reverse("programmes:plan_add"))
    page.locator("#id_kind").select_option("coordination")
    page.fill("#id_name", "Chương trình phối hợp giữa Sở KH&CN và UBND huyện Ba Chẽ")
    page.fill("#id_start_year", str(year))
    page.fill("#id_end_year", str(year + 2))
    choose_in_search_select(page, "owner", "ba che", committee.pk)
    choose_in_search_select(page, "admin_unit", "ba che", ba_che.pk)
    page.locator("main form button[type=submit]").click()
    plan = Plan.objects.get(name="Chương trình phối hợp giữa Sở KH&CN và UBND huyện Ba Chẽ")
    expect(page.get_by_test_id("targets")).to_contain_text("Chưa có chỉ tiêu nào.")

    # A target counted from the registry: 1 of 2 S&T enterprises this year.
    page.get_by_role("link", name="Thêm chỉ tiêu").click()
    page.fill("#id_indicator", "Doanh nghiệp KH&CN phát triển thêm")
    page.fill("#id_unit", "doanh nghiệp")
    page.locator("#id_measure").select_option("st_enterprises")
    page.fill("#id_year", str(year))
    page.fill("#id_value", "2")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("targets")).to_contain_text("1 (50 %)")
    expect(page.get_by_test_id("behind")).to_be_visible()

    # A target entered with evidence, then its progress.
    page.get_by_role("link", name="Thêm chỉ tiêu").click()
    page.fill("#id_indicator", "Sản phẩm OCOP được hướng dẫn thủ tục sở hữu công nghiệp")
    page.fill("#id_unit", "%")
    page.fill("#id_year", str(year))
    page.fill("#id_value", "100")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="Nhập kết quả").first.click()
    page.fill("#id_reported_on", f"01/06/{year}")
    page.fill("#id_value", "100")
    page.fill("#id_note", "Báo cáo của UBND huyện")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(plan.get_absolute_url())
    expect(page.get_by_test_id("targets")).to_contain_text("100 (100 %)")

    # Only the registry target is behind now; the entered one no longer puts the plan on the list.
    page.goto(reverse("programmes:behind"))
    expect(page.get_by_test_id("behind-plans")).to_contain_text("Không có chương trình nào chậm")
