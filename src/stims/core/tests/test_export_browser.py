"""A specialist exports a filtered list in a real browser (Debian's Chromium): on the councils' list they
type a search, filter, and click "Export XLSX"; the workbook the browser downloads holds only the rows
found, on a sheet named in Vietnamese, with the dates as real dates (dd/mm/yyyy) and the counts as
numbers. The CSV export of the same search starts with a UTF-8 byte-order mark (Excel on Windows reads
the diacritics). Runs with the other browser tests (live server, flushed database)."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.councils.models import Council, CouncilDossier
from stims.sttasks.models import Task, TaskType
from stims.testing import make_user, province, reseed_reference_data

from .browser import TIMEOUT_MS

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


def test_a_specialist_exports_the_councils_found_by_a_search(page, log_in, units):
    reseed_reference_data()
    quang_ninh = province("Quảng Ninh")
    found = Council.objects.create(
        kind="selection",
        name="Hội đồng tuyển chọn nhiệm vụ nuôi trồng thủy sản 2025",
        decision_number="125/QĐ-SKHCN",
        decision_date=datetime.date(2025, 3, 1),
        meeting_date=datetime.date(2025, 3, 10),
    )
    for number, title in enumerate(["Nuôi hàu ở vịnh Bái Tử Long", "Nuôi cá song ở Vân Đồn"], start=1):
        task = Task.objects.create(
            code=f"ĐT-2025-0{number}",
            title=title,
            task_type=TaskType.objects.get(code="de-tai"),
            proposal_year=2025,
            ordering_unit=quang_ninh,
        )
        CouncilDossier.objects.create(council=found, task=task)
    Council.objects.create(
        kind="acceptance",
        name="Hội đồng nghiệm thu đề tài trà hoa vàng",
        decision_number="88/QĐ-SKHCN",
        decision_date=datetime.date(2025, 5, 2),
        meeting_date=datetime.date(2025, 5, 20),
    )
    log_in(make_user("specialist"))

    page.goto(reverse("councils:council_list"))
    expect(page.get_by_test_id("record-count")).to_contain_text("2")
    filters = page.get_by_test_id("filters")
    filters.locator("#id_q").fill("thủy sản")
    filters.locator("button[type=submit]").click()
    expect(page.get_by_test_id("record-count")).to_contain_text("1")
    expect(page.locator("table")).to_contain_text(found.name)

    xlsx_link = page.locator("a[href*='_export=xlsx']")
    expect(xlsx_link).to_have_attribute("href", re.compile(r"^\?q=th%E1%BB%A7y\+s%E1%BA%A3n&.*_export=xlsx$"))
    with page.expect_download() as download_info:
        xlsx_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = workbook.active
    assert sheet.title == "Hội đồng"
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2, rows  # the header and the one council found
    record = dict(zip(rows[0], rows[1], strict=True))
    assert found.name in record.values() and "Hội đồng nghiệm thu đề tài trà hoa vàng" not in str(rows)
    values = list(record.values())
    assert datetime.datetime(2025, 3, 1) in values and datetime.datetime(2025, 3, 10) in values
    assert 2 in values  # the dossiers, a number
    cells = {cell.value: cell for cell in sheet[2]}
    decided = cells[datetime.datetime(2025, 3, 1)]
    assert decided.is_date and decided.number_format.lower() == "dd/mm/yyyy"
    assert cells[2].data_type == "n"

    with page.expect_download() as csv_info:
        page.locator("a[href*='_export=csv']").click()
    assert csv_info.value.suggested_filename.endswith(".csv")
    data = Path(csv_info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert found.name in text and "trà hoa vàng" not in text
    assert len(text.strip().splitlines()) == 2  # the header and the one council found
