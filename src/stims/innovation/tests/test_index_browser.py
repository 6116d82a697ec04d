"""In a real browser, as a person does it: open the index results, open a province, see its radar chart
of pillars, then ask "what if" one of its values were higher and read the new score and rank, which
appear without reloading the page and are not saved."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.innovation.models import IndicatorValue
from stims.testing import make_user, province

from .test_index import tiny_framework

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


def test_a_unit_page_with_its_radar_and_a_what_if_change(page, log_in, units):
    fw = tiny_framework()
    log_in(make_user("viewer"))
    page.goto(reverse("innovation:framework_results", args=[fw.pk]))
    expect(page.get_by_test_id("results")).to_contain_text("Thành phố Hải Phòng")
    page.get_by_role("link", name="Thành phố Hải Phòng").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Hải Phòng")
    expect(page.get_by_test_id("rank")).to_contain_text("2 / 4")
    radar = page.get_by_test_id("radar")
    expect(radar).to_be_visible()
    expect(radar.locator("polygon")).to_have_count(6)  # four rings, the province, the median
    url = page.url

    page.select_option("#id_indicator", label="2.1.1 C")
    page.fill("#id_value", "100")
    page.get_by_role("button", name="Tính lại").click()
    outcome = page.get_by_test_id("whatif-outcome")
    expect(outcome).to_contain_text("thứ hạng 2 → 1")
    expect(outcome).to_contain_text("50,00 → 75,00")
    assert page.url == url  # htmx: the page stayed
    expect(page.get_by_test_id("rank")).to_contain_text("2 / 4")  # the page's own figures are unchanged
    hai_phong = province("Hải Phòng", legacy=True)
    assert IndicatorValue.objects.get(admin_unit=hai_phong, indicator__code="2.1.1").value == 6
