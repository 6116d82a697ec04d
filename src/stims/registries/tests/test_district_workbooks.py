"""Workbooks as districts keep them, imported on the page (upload, preview, confirm) and by the command.

Each workbook is built here with openpyxl in a district's own layout: title rows above a merged,
two-row header, an STT column and a numbering row, stars written "3 sao", "4*", "3 ★", "★★★", units
written "H. Ba Chẽ", "TT. Bình Liêu", "X. Hoành Mô", dates as text, a total row and trailing blank rows;
household producers and producers not yet in the directory; and the rows a person must fix: duplicates,
formulas Excel never computed, the template's own example row, units too short to tell apart.
"""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from stims.core import events
from stims.ip.models import IpAsset, IpStatus, IpType
from stims.orgs.models import Organization
from stims.products.models import OcopEvaluation, Product
from stims.sttasks.models import Task
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def specialist():
    return make_user("specialist", username="chuyen-vien-ocop")


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def book(titles, header_rows, rows, *, merges=(), trailing_blanks=3, number_from=1) -> bytes:
    """A workbook: title rows, the header row(s), the data rows (an STT cell added in front of each
    header and row when `number_from` is set), and blank numbered rows at the end."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in titles:
        sheet.append([title])
    for header in header_rows:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    for index in range(trailing_blanks):
        sheet.append([len(rows) + index + 1] if number_from else [None])
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name="danh-sach-ocop.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def ba_che_2024() -> bytes:
    """Ba Chẽ district's list: three title rows, a two-row header with "Điểm đánh giá" merged over A, B
    and C, a numbering row, part scores, units short, dates as text, a total row, blank STT rows."""
    top = ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Nhóm", "Điểm đánh giá", None, None, "Ngày quyết định"]
    below = [None, None, None, None, None, "A", "B", "C", None]
    numbering = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"]
    rows = [
        [1, "Trà hoa vàng Ba Chẽ", "Hộ KD Lý Thị Mai", "H. Ba Chẽ", "Đồ uống", 30, 20, 25, "12/3/2024"],
        [2, "Rượu ba kích Đồn Đạc", "HTX Ba kích Đồn Đạc", "Ba Chẽ", "Đồ uống", 35, 20, 30, "15-03-2024"],
        [
            3,
            "Ba kích tím sấy khô",
            "Tổ hợp tác Thanh Sơn",
            "TT. Ba Chẽ",
            "Thảo dược",
            28,
            18,
            20,
            "ngày 20 tháng 3 năm 2024",
        ],
        ["Tổng cộng", None, None, None, None, None, None, None, "3 sản phẩm"],
    ]
    merges = ["A1:I1", "A3:I3", "F5:H5"] + [f"{c}5:{c}6" for c in "ABCDEI"]
    return book(
        [
            "UBND HUYỆN BA CHẼ",
            "PHÒNG NÔNG NGHIỆP VÀ PTNT",
            "DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN NĂM 2024",
            None,
        ],
        [top, below, numbering],
        rows,
        merges=merges,
    )


def binh_lieu_stars() -> bytes:
    """Bình Liêu's list: stars (and sometimes a total) without part scores, written every which way."""
    header = [
        "TT",
        "Tên SP",
        "Chủ thể sản xuất",
        "Địa phương",
        "Nhóm SP",
        "Hạng sao",
        "Tổng điểm",
        "Năm công nhận",
    ]
    rows = [
        [1, "Miến dong Hoành Mô", "HTX Miến dong Hoành Mô", "X. Hoành Mô", "Thực phẩm", "3 sao", None, 2023],
        [2, "Chè Bình Liêu", "Hộ kinh doanh Hoàng Văn Nam", "TT. Bình Liêu", "Đồ uống", "4*", None, 2023],
        [3, "Rượu men lá Bình Liêu", "Hộ ông Tằng A Sinh", "Huyện Bình Liêu", "Đồ uống", "3 ★", None, 2022],
        [
            4,
            "Dầu sở Bình Liêu",
            "Công ty TNHH Dầu sở Bình Liêu",
            "H. Bình Liêu",
            "Thực phẩm",
            "★★★",
            68,
            2024,
        ],
        [5, "Gạo nếp cái hoa vàng", "Hộ bà Vi Thị Hoa", "h. binh lieu", "Thực phẩm", None, "72,5", 2024],
        [None, "Cộng: 5 sản phẩm", None, None, None, None, None, None],
    ]
    return book(
        ["DANH SÁCH SẢN PHẨM OCOP HUYỆN BÌNH LIÊU", "(Kèm theo Báo cáo số 45/BC-UBND ngày 10/01/2025)", None],
        [header],
        rows,
    )


def with_problems(example_row: list, headers: list) -> bytes:
    """The template's layout, with the rows a person must fix."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    column = {header: index for index, header in enumerate(headers)}

    def row(name, unit_name, **cells):
        values = [None] * len(headers)
        base = {
            "Tên sản phẩm": name,
            "Nhóm sản phẩm": "Thực phẩm",
            "Chủ thể": "Hộ bà Lý Thị Mai",
            "Đơn vị hành chính": unit_name,
            "Năm đánh giá": 2024,
            "Điểm A": 30,
            "Điểm B": 20,
            "Điểm C": 25,
        }
        base.update(cells)
        for header, value in base.items():
            values[column[header]] = value
        return values

    sheet.append(example_row)  # row 2: the template's own example
    sheet.append(row("Nấm linh chi Ba Chẽ", "Huyện Ba Chẽ"))  # row 3
    sheet.append(row("Nấm linh chi Ba Chẽ", "H. Ba Chẽ"))  # row 4: the same product as row 3
    sheet.append(row("Chả mực Vân Đồn", "H. Ba Trẽ"))  # row 5: a unit that does not exist
    sheet.append(row("Sá sùng khô", "Ba Chẽ"))  # row 6: the district or its town?
    sheet.append(
        row("Hải sản khô", "Huyện Ba Chẽ", **{"Điểm A": None, "Điểm B": None, "Điểm C": None})
    )  # row 7
    sheet.cell(row=7, column=column["Tổng điểm"] + 1, value="=SUM(J7:L7)")  # never computed by Excel
    sheet.append(row("Trà hoa vàng Đạp Thanh", "Huyện Ba Chẽ", **{"Điểm A": "35 điểm"}))  # row 8
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def preview(client, data, kind="products"):
    return client.post(reverse("registries:import"), {"kind": kind, "file": upload(data)})


def confirm(client, response):
    return client.post(reverse("registries:import_confirm"), {"token": response.context["token"]})


# --- on the page ------------------------------------------------------------------------------------


def test_ba_che_list_with_titles_merged_header_short_units_and_a_total_row_imports_on_the_page(
    client, specialist, django_capture_on_commit_callbacks, monkeypatch
):
    told = []
    monkeypatch.setitem(events._LISTENERS, "core.import_finished", [lambda **data: told.append(data)])
    english(client, specialist)
    response = preview(client, ba_che_2024())
    assert response.status_code == 200, response.content[:2000]
    outcome = response.context["outcome"]
    assert outcome.errors == []
    assert outcome.counts["new"] == 3 and len(outcome.rows) == 3
    assert [row.number for row in outcome.rows] == [8, 9, 10]  # below the titles, header and numbering
    assert {number for number, _why in outcome.skipped} == {7, 11}  # numbering and total rows
    assert outcome.proposals == ["new cooperative “HTX Ba kích Đồn Đạc” (Huyện Ba Chẽ)"]
    assert not Product.objects.filter(name="Trà hoa vàng Ba Chẽ").exists()  # a preview writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, response)
    assert done.status_code == 302
    progress = client.get(done["Location"])
    assert progress.status_code == 200 and progress.context["state"]["state"] == "done"
    assert "Imported 3 new and updated 0 existing records." in progress.content.decode()
    assert told and told[0]["user"] == specialist and told[0]["summary"].startswith("Imported 3 new")
    polled = client.get(done["Location"], HTTP_HX_REQUEST="true")  # htmx polls the bar alone
    assert 'data-state="done"' in polled.content.decode() and "<html" not in polled.content.decode()
    english(client, make_user("specialist"))
    assert client.get(done["Location"]).status_code == 404  # another user's import: nothing to see
    english(client, specialist)

    district, town = unit("Huyện Ba Chẽ", legacy=True), unit("Thị trấn Ba Chẽ", legacy=True)
    tea = Product.objects.get(name="Trà hoa vàng Ba Chẽ")
    assert (tea.admin_unit, tea.producer_kind, tea.producer_name) == (
        district,
        "household",
        "Hộ KD Lý Thị Mai",
    )
    wine = Product.objects.get(name="Rượu ba kích Đồn Đạc")
    assert wine.admin_unit == district  # "Ba Chẽ" under a column headed "Huyện", in a 2024 list
    assert (wine.producer.name, wine.producer.kind, wine.producer.admin_unit) == (
        "HTX Ba kích Đồn Đạc",
        "cooperative",
        district,
    )
    assert wine.producer.history.get().history_user == specialist
    root = Product.objects.get(name="Ba kích tím sấy khô")
    assert (root.admin_unit, root.producer_kind, root.producer_name) == (
        town,
        "household",
        "Tổ hợp tác Thanh Sơn",
    )
    evaluation = root.evaluations.get()
    assert (evaluation.year, evaluation.total_score, evaluation.stars, evaluation.decision_date) == (
        2024,
        Decimal("66"),
        3,
        datetime.date(2024, 3, 20),
    )
    assert (
        tea.history.get().history_user == specialist and evaluation.history.get().history_user == specialist
    )


def test_binh_lieu_stars_without_part_scores_are_recorded_as_given(client, specialist):
    Organization.objects.create(
        name="Công ty TNHH Dầu sở Bình Liêu",
        kind="enterprise",
        admin_unit=unit("Huyện Bình Liêu", legacy=True),
    )
    english(client, specialist)
    response = preview(client, binh_lieu_stars())
    outcome = response.context["outcome"]
    assert outcome.errors == [] and outcome.counts["new"] == 5
    assert [number for number, _why in outcome.skipped] == [10]  # "Cộng: 5 sản phẩm"
    assert confirm(client, response).status_code == 302

    ratings = {
        e.product.name: (e.year, e.stars, e.total_score, e.score_a)
        for e in OcopEvaluation.objects.filter(
            product__admin_unit__name__contains="Bình Liêu"
        ).select_related("product")
    } | {
        e.product.name: (e.year, e.stars, e.total_score, e.score_a)
        for e in OcopEvaluation.objects.filter(product__name="Miến dong Hoành Mô").select_related("product")
    }
    assert ratings == {
        "Miến dong Hoành Mô": (2023, 3, None, None),
        "Chè Bình Liêu": (2023, 4, None, None),
        "Rượu men lá Bình Liêu": (2022, 3, None, None),
        "Dầu sở Bình Liêu": (2024, 3, Decimal("68"), None),
        "Gạo nếp cái hoa vàng": (2024, 4, Decimal("72.5"), None),  # stars from the bands
    }
    assert Product.objects.get(name="Chè Bình Liêu").admin_unit == unit("Thị trấn Bình Liêu", legacy=True)
    assert Product.objects.get(name="Miến dong Hoành Mô").admin_unit == unit("Xã Hoành Mô", legacy=True)
    oil = Product.objects.get(name="Dầu sở Bình Liêu")
    assert oil.producer.name == "Công ty TNHH Dầu sở Bình Liêu" and oil.producer_kind == "enterprise"
    assert Organization.objects.get(name="HTX Miến dong Hoành Mô").kind == "cooperative"  # proposed, created
    page = client.get(reverse("products:product_detail", args=[oil.pk]))
    assert page.status_code == 200 and "None" not in page.content.decode()


def test_rows_to_fix_are_flagged_cell_by_cell_and_nothing_is_written(client, specialist):
    english(client, specialist)
    template = client.get(reverse("registries:import_template", args=["products"]))
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).active
    headers, example = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    before = (Product.objects.count(), OcopEvaluation.objects.count(), Organization.objects.count())

    response = preview(client, with_problems(example, headers))
    outcome = response.context["outcome"]
    cells = {row.number: row.cells for row in outcome.rows}
    assert cells[2] == {
        None: ["this is the template's example row: delete it, or replace it with a real record"]
    }
    assert cells[3] == {
        "Tên sản phẩm": ["the same record is repeated on row 4 of this workbook: give each record once"]
    }
    assert cells[4] == {"Tên sản phẩm": ["the same record as row 3 of this workbook: give each record once"]}
    assert cells[5] == {"Đơn vị hành chính": ["not found “H. Ba Trẽ”; did you mean “Huyện Ba Chẽ”?"]}
    assert cells[6] == {
        "Đơn vị hành chính": ["“Ba Chẽ” may be “Huyện Ba Chẽ”, “Thị trấn Ba Chẽ”: write the full name"]
    }
    assert any("formula" in message for message in cells[7]["Tổng điểm"])
    assert list(cells[8]) == ["Điểm A"]
    assert outcome.counts == {"new": 0, "update": 0, "error": 7, "skip": 0}
    # The preview marks the offending cell itself (row and column), not only the row.
    content = response.content.decode()
    assert f'data-error-cell="7:{headers.index("Tổng điểm")}"' in content
    assert f'data-error-cell="5:{headers.index("Đơn vị hành chính")}"' in content
    assert b"confirm-import" not in response.content

    assert confirm(client, response).status_code == 409  # forced: refused, all or nothing
    assert (Product.objects.count(), OcopEvaluation.objects.count(), Organization.objects.count()) == before


def test_a_row_of_another_district_reads_like_a_new_record_whether_or_not_it_exists(client):
    hidden = Product.objects.create(
        name="Sá sùng Quan Lạn bí mật",
        group_id=1,
        producer_kind="household",
        producer_name="Hộ ông Bí Mật",
        admin_unit=unit("Huyện Vân Đồn", legacy=True),
    )
    officer = make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    english(client, officer)
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Nhóm", "Số sao", "Năm"]
    rows = [
        [1, hidden.name, "Hộ ông Bí Mật", "H. Vân Đồn", "Thực phẩm", 3, 2024],  # on record, out of scope
        [2, "Sá sùng Quan Lạn chưa có", "Hộ ông Bí Mật", "H. Vân Đồn", "Thực phẩm", 3, 2024],  # not on record
    ]
    response = preview(client, book(["DANH SÁCH"], [header], rows))
    errors = [row.cells for row in response.context["outcome"].rows]
    refusal = f"you may not add records to “{unit('Huyện Vân Đồn', legacy=True)}”"
    assert errors[0] == errors[1] == {"Đơn vị hành chính": [refusal]}
    assert "Bí Mật" not in str(response.context["outcome"].proposals)
    hidden.refresh_from_db()
    assert hidden.name == "Sá sùng Quan Lạn bí mật" and not hidden.evaluations.exists()


def test_the_preview_is_paged_and_every_error_is_listed_above_the_rows(client, specialist):
    english(client, specialist)
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Nhóm", "Số sao", "Năm"]
    rows = [
        [i, f"Mật ong rừng số {i}", "Hộ ông Nguyễn Văn An", "H. Ba Chẽ", "Thực phẩm", "4 sao", 2024]
        for i in range(1, 151)
    ]
    rows[139][5] = "9 sao"  # an error on the second page
    response = preview(client, book(["DANH SÁCH"], [header], rows))
    assert response.context["pages"] == 2 and len(response.context["page_rows"]) == 100
    assert "Row 142, column “Số sao”" in response.content.decode()  # listed on page 1 too
    second = client.get(reverse("registries:import_preview", args=[response.context["token"]]), {"page": 2})
    assert second.status_code == 200 and [r.number for r in second.context["page_rows"]][:2] == [103, 104]
    assert 'data-error-cell="142:5"' in second.content.decode()
    other = make_user("specialist")
    english(client, other)  # another user's token shows nothing
    assert (
        client.get(reverse("registries:import_preview", args=[response.context["token"]])).status_code == 302
    )


def test_a_confirm_whose_rows_broke_since_the_preview_writes_nothing(client, specialist):
    english(client, specialist)
    response = preview(client, ba_che_2024())
    assert response.context["can_confirm"]
    specialist.role_assignments.all().delete()  # the user lost their role meanwhile
    done = confirm(client, response)
    assert done.status_code in (302, 403)
    assert not Product.objects.filter(name="Trà hoa vàng Ba Chẽ").exists()
    assert not Organization.objects.filter(name="HTX Ba kích Đồn Đạc").exists()


def test_ip_list_with_titles_and_variant_headers_imports(client, specialist):
    if not IpType.objects.filter(name="Nhãn hiệu tập thể").exists():
        IpType.objects.create(code="collective", name="Nhãn hiệu tập thể")
    IpStatus.objects.get_or_create(code="filed", defaults={"name": "Đã nộp đơn"})
    english(client, specialist)
    header = ["STT", "Loại", "Tên nhãn hiệu", "Chủ văn bằng", "Huyện", "Số đơn", "Ngày nộp", "Trạng thái"]
    rows = [
        [
            1,
            "Nhãn hiệu tập thể",
            "Trà hoa vàng Ba Chẽ",
            "Hội Nông dân Ba Chẽ",
            "H. Ba Chẽ",
            "4-2023-11111",
            "ngày 5 tháng 6 năm 2023",
            "Đã nộp đơn",
        ],
        [
            2,
            "Nhãn hiệu tập thể",
            "Ba kích Ba Chẽ",
            "Hội Nông dân Ba Chẽ",
            "H. Ba Chẽ",
            "4-2023-22222",
            "6/6/2023",
            "Đã nộp đơn",
        ],
        ["Tổng cộng", None, None, None, None, None, None, None],
    ]
    response = preview(client, book(["UBND HUYỆN BA CHẼ", "DANH SÁCH NHÃN HIỆU"], [header], rows), kind="ip")
    assert response.context["outcome"].errors == [] and response.context["outcome"].counts["new"] == 2
    assert confirm(client, response).status_code == 302
    asset = IpAsset.objects.get(application_number="4-2023-11111")
    assert (asset.application_date, asset.admin_unit) == (
        datetime.date(2023, 6, 5),
        unit("Huyện Ba Chẽ", legacy=True),
    )


# --- by the command ---------------------------------------------------------------------------------


def run_command(tmp_path, data, *args):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(data)
    out = io.StringIO()
    try:
        call_command("import", *args[:1], str(path), *args[1:], "--json", "--language", "en", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def test_the_command_gives_the_same_checks_and_summary_and_writes_only_without_errors(tmp_path, specialist):
    code, result = run_command(
        tmp_path, ba_che_2024(), "products", "--user", specialist.username, "--dry-run"
    )
    assert code == 0 and result["written"] is False
    assert (result["rows"], result["new"], result["updated"], result["errors"]) == (3, 3, 0, [])
    assert not Product.objects.filter(name="Trà hoa vàng Ba Chẽ").exists()

    code, result = run_command(tmp_path, ba_che_2024(), "products", "--user", specialist.username)
    assert code == 0 and result["written"] is True
    assert Product.objects.filter(name__in=["Trà hoa vàng Ba Chẽ", "Ba kích tím sấy khô"]).count() == 2

    code, result = run_command(tmp_path, ba_che_2024(), "products", "--user", specialist.username)
    assert code == 0 and (result["new"], result["updated"]) == (0, 3)  # the same list again: updates

    rows = [[1, "Mật ong Ba Chẽ", "Hộ ông A", "H. Ba Chẽ", "Thực phẩm", "6 sao", 2024]]
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Nhóm", "Số sao", "Năm"]
    code, result = run_command(
        tmp_path, book(["DS"], [header], rows), "products", "--user", specialist.username
    )
    assert code == 1 and result["written"] is False
    assert result["errors"] == [
        {
            "row": 3,
            "column": "Số sao",
            "message": "“6 sao” is not a star rating: write 1 to 5, e.g. “3 sao”, “4*” or “★★★”",
        }
    ]
    assert not Product.objects.filter(name="Mật ong Ba Chẽ").exists()


def test_the_command_imports_tasks_with_title_rows_and_variant_headers(tmp_path, specialist):
    header = [
        "STT",
        "Mã số",
        "Tên đề tài",
        "Loại nhiệm vụ",
        "Cấp quản lý",
        "Năm",
        "Địa phương đặt hàng",
        "Ngày bắt đầu",
    ]
    rows = [
        [
            1,
            "ĐTCS.BC.2023.01",
            "Mô hình trồng trà hoa vàng dưới tán rừng",
            "Đề tài",
            "Cơ sở",
            2023,
            "Huyện Ba Chẽ",
            "ngày 1 tháng 3 năm 2023",
        ],
        [2, "ĐTCS.BC.2023.02", "Nhân giống ba kích tím", "Đề tài", "Cơ sở", 2023, "Huyện Ba Chẽ", "1/4/2023"],
        ["Cộng", None, None, None, None, None, None, None],
    ]
    data = book(["UBND HUYỆN BA CHẼ", "DANH MỤC NHIỆM VỤ KH&CN CẤP CƠ SỞ NĂM 2023"], [header], rows)
    code, result = run_command(tmp_path, data, "tasks", "--user", specialist.username)
    assert (code, result["rows"], result["new"], result["errors"]) == (0, 2, 2, []), result
    task = Task.objects.get(code="ĐTCS.BC.2023.01")
    assert task.start_date == datetime.date(2023, 3, 1) and task.ordering_unit == unit(
        "Huyện Ba Chẽ", legacy=True
    )

    code, result = run_command(tmp_path, data, "tasks", "--user", specialist.username)  # codes on record
    assert (
        code == 1
        and result["written"] is False
        and {e["column"] for e in result["errors"]} == {"Mã nhiệm vụ"}
    )
