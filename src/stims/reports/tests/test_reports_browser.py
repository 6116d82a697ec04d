"""A specialist asks for a report in a real browser (Debian's Chromium): picks the type, the period and
the locality, has the summary composed from the figures and edits it, generates the report, watches
its progress bar reach 100% and downloads the Word document, which holds the edited summary and the
figures. (The background task runs at once in tests; with `stims worker` the bar moves as htmx polls.)"""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from stims.funding.models import Allocation
from stims.testing import make_user, reseed_reference_data, unit

from ...core.tests.browser import TIMEOUT_MS

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


def test_a_specialist_generates_a_report_watches_it_and_downloads_it(page, log_in, units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    reseed_reference_data()
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    Allocation.objects.create(
        year=2022, recipient_unit=ba_che, amount=550_000_000, purpose="KH&CN huyện 2022"
    )
    log_in(make_user("specialist"))
    page.goto("/reports/")
    page.select_option("#id_kind", "year")
    page.fill("#id_period", "2022")
    page.select_option("#id_unit", str(ba_che.pk))
    page.select_option("#id_format", "docx")
    page.get_by_test_id("compose-summary").click()
    summary = page.locator("#id_summary")
    expect(summary).to_have_value(
        "Trong năm 2022 trên địa bàn Huyện Ba Chẽ, kinh phí sự nghiệp KH&CN bố trí cho địa phương là "
        "550.000.000 đồng."
    )
    summary.fill("Trong năm 2022, Huyện Ba Chẽ đã bố trí 550 triệu đồng cho KH&CN.")
    page.get_by_test_id("generate").click()
    progress = page.get_by_test_id("report-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("data-status", "done")
    expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    document = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    texts = [p.text for p in document.paragraphs]
    assert "Trong năm 2022, Huyện Ba Chẽ đã bố trí 550 triệu đồng cho KH&CN." in texts
    assert any(t.endswith("(đồng): 550.000.000") for t in texts)
