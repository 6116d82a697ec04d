"""The establishments' Excel import, with workbooks as districts keep them (built here with openpyxl):
title rows above a merged two-row header, an STT column, short unit names, sectors as people write
them, a total row; all or nothing; the importer's scope on every row; the page, the command and the
template."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from stims.inspections.models import Establishment
from stims.orgs.models import Organization
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def ba_che():
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def district_inspector(ba_che):
    return make_user("inspector", username="thanhtra-bache", admin_unit=ba_che)


def book(titles, headers, rows, merges=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in titles:
        sheet.append([title])
    for header in headers:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ba_che_fuel_and_gas(extra=()) -> bytes:
    """Ba Chẽ's list: two title rows, "Thông tin cơ sở" merged over name and address, an STT column,
    the district written "H. Ba Chẽ", sectors "Xăng dầu" and "Gas", a total row."""
    return book(
        ["UBND HUYỆN BA CHẼ", "DANH SÁCH CƠ SỞ KINH DOANH XĂNG DẦU, KHÍ DẦU MỎ HÓA LỎNG NĂM 2024"],
        [
            ["STT", "Thông tin cơ sở", None, "Huyện", "Loại hình", "Chủ cơ sở", "SĐT"],
            [None, "Tên cơ sở", "Địa chỉ", None, None, None, None],
        ],
        [
            [
                1,
                "Cửa hàng xăng dầu Thanh Sơn",
                "Xã Thanh Sơn",
                "H. Ba Chẽ",
                "Xăng dầu",
                "Lê Văn Bình",
                "0912000001",
            ],
            [2, "Đại lý gas Minh Cầm", "Xã Minh Cầm", "Ba Chẽ", "Gas", "Hoàng Thị Lan", "0912000002"],
            *extra,
            ["Tổng cộng", None, None, None, None, None, None],
        ],
        merges=["B3:C3", "A3:A4", "D3:D4", "E3:E4", "F3:F4", "G3:G4"],
    )


def post_upload(client, data, name="ds-co-so.xlsx"):
    return client.post(reverse("inspections:import"), {"file": SimpleUploadedFile(name, data)})


def signed_in(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_district_workbook_is_previewed_then_confirmed_all_at_once(client, district_inspector, ba_che):
    signed_in(client, district_inspector)
    response = post_upload(client, ba_che_fuel_and_gas())
    assert response.status_code == 200, response.content.decode()[:2000]
    outcome = response.context["outcome"]
    assert outcome.counts["new"] == 2 and outcome.counts["error"] == 0
    assert not Establishment.objects.exists()  # the preview writes nothing
    response = client.post(reverse("inspections:import_confirm"), {"token": response.context["token"]})
    assert response.status_code in (200, 302)
    stations = {e.name: e for e in Establishment.objects.select_related("sector", "admin_unit")}
    assert set(stations) == {"Cửa hàng xăng dầu Thanh Sơn", "Đại lý gas Minh Cầm"}
    assert stations["Đại lý gas Minh Cầm"].sector.code == "lpg"
    assert stations["Cửa hàng xăng dầu Thanh Sơn"].sector.code == "fuel-retail"
    assert all(e.admin_unit == ba_che for e in stations.values())
    history = Establishment.history.filter(name="Đại lý gas Minh Cầm").get()
    assert history.history_user == district_inspector and history.history_type == "+"
    # The same workbook again updates the two records instead of adding two more.
    response = post_upload(client, ba_che_fuel_and_gas())
    assert response.context["outcome"].counts == {"new": 0, "update": 2, "error": 0, "skip": 0}


def test_one_bad_row_refuses_the_whole_workbook_and_names_the_cell(client, district_inspector):
    signed_in(client, district_inspector)
    bad = [3, "Cơ sở đóng gói Đồn Đạc", "Xã Đồn Đạc", "H. Ba Chẽ", "Trồng trọt", "Vi Văn Hải", ""]
    response = post_upload(client, ba_che_fuel_and_gas(extra=[bad]))
    outcome = response.context["outcome"]
    assert outcome.counts["error"] == 1 and outcome.counts["new"] == 2
    assert any("Loại hình" in e or "Lĩnh vực" in e for e in outcome.errors) and "Trồng trọt" in " ".join(
        outcome.errors
    )
    response = client.post(reverse("inspections:import_confirm"), {"token": response.context["token"]})
    assert not Establishment.objects.exists()


def test_a_district_inspector_cannot_import_another_districts_rows(client, district_inspector):
    """The unit must be one the importer may attach establishments to: Tiên Yên's row is refused for
    Ba Chẽ's inspector, and with it the whole workbook."""
    signed_in(client, district_inspector)
    other = [3, "Cửa hàng xăng dầu Hải Lạng", "Xã Hải Lạng", "H. Tiên Yên", "Xăng dầu", "", ""]
    response = post_upload(client, ba_che_fuel_and_gas(extra=[other]))
    outcome = response.context["outcome"]
    assert outcome.counts["error"] == 1
    assert [row.number for row in outcome.rows if row.status == "error"] == [7]
    client.post(reverse("inspections:import_confirm"), {"token": response.context["token"]})
    assert not Establishment.objects.exists()


def test_a_record_of_another_district_is_not_revealed_by_the_import(client, district_inspector):
    tien_yen = unit("Huyện Tiên Yên", legacy=True)
    owner = make_user("inspector", username="thanhtra-tienyen", admin_unit=tien_yen)
    signed_in(client, owner)
    rows = [[1, "Cửa hàng xăng dầu Hải Lạng", "Xã Hải Lạng", "Tiên Yên", "Xăng dầu", "", ""]]
    data = book(
        ["DANH SÁCH"], [["STT", "Tên cơ sở", "Địa chỉ", "Huyện", "Lĩnh vực", "Chủ cơ sở", "SĐT"]], rows
    )
    response = post_upload(client, data)
    client.post(reverse("inspections:import_confirm"), {"token": response.context["token"]})
    assert Establishment.objects.count() == 1
    signed_in(client, district_inspector)
    response = post_upload(client, data)
    text = " ".join(response.context["outcome"].errors)
    assert "already on record" not in text and response.context["outcome"].counts["error"] == 1


def test_local_officers_cannot_reach_the_import(client, ba_che):
    signed_in(client, make_user("local_officer", admin_unit=ba_che))
    assert client.get(reverse("inspections:import")).status_code == 403
    assert post_upload(client, ba_che_fuel_and_gas()).status_code == 403
    assert client.get(reverse("inspections:import_template")).status_code == 403
    assert not Establishment.objects.exists()


def test_held_out_workbook_written_differently(client, district_inspector, ba_che):
    """A workbook not used while writing the importer: other header words ("Tên cửa hàng", "Địa bàn",
    "Loại hình kinh doanh", "Số điện thoại", "Doanh nghiệp"), the title merged across, a numbering row,
    the unit written "huyện Ba Chẽ" in lower case, a sector written long, an organization on record and
    one not, trailing blank rows."""
    Organization.objects.create(name="Công ty TNHH Xăng dầu Ba Chẽ", kind="enterprise", admin_unit=ba_che)
    data = book(
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Biểu 02: Cơ sở sản xuất, kinh doanh trên địa bàn", ""],
        [
            [
                "TT",
                "Tên cửa hàng",
                "Doanh nghiệp",
                "Địa bàn",
                "Loại hình kinh doanh",
                "Số điện thoại",
                "Ghi chú",
            ],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ],
        [
            [
                "1",
                "CHXD số 2 Ba Chẽ",
                "Công ty TNHH Xăng dầu Ba Chẽ",
                "huyện Ba Chẽ",
                "Kinh doanh xăng dầu bán lẻ",
                "0203 3888 123",
                "",
            ],
            [
                "2",
                "Cơ sở miến dong Thanh Lãng",
                "HTX Miến Thanh Lãng",
                "H.Ba Chẽ",
                "Hàng đóng gói sẵn",
                "",
                "Sản phẩm OCOP",
            ],
            [None, None, None, None, None, None, None],
            [None, None, None, None, None, None, None],
        ],
        merges=["A2:G2"],
    )
    signed_in(client, district_inspector)
    response = post_upload(client, data)
    outcome = response.context["outcome"]
    assert outcome.counts == {"new": 2, "update": 0, "error": 0, "skip": 0}, outcome.errors
    assert any("HTX Miến Thanh Lãng" in p for p in outcome.proposals)
    client.post(reverse("inspections:import_confirm"), {"token": response.context["token"]})
    station = Establishment.objects.get(name="CHXD số 2 Ba Chẽ")
    assert (
        station.organization.name == "Công ty TNHH Xăng dầu Ba Chẽ" and station.sector.code == "fuel-retail"
    )
    assert Establishment.objects.get(name="Cơ sở miến dong Thanh Lãng").sector.code == "prepackaged"


def test_the_command_and_the_template(tmp_path, client, district_inspector):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(ba_che_fuel_and_gas())
    out = io.StringIO()
    args = ["establishments", str(path), "--user", district_inspector.username, "--json", "--language", "en"]
    call_command("import", *args, "--dry-run", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["rows"], result["new"], result["errors"], result["written"]) == (2, 2, [], False)
    assert not Establishment.objects.exists()
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    assert json.loads(out.getvalue())["written"] is True and Establishment.objects.count() == 2
    signed_in(client, district_inspector)
    response = client.get(reverse("inspections:import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["Tên cơ sở", "Lĩnh vực"] and sheet.cell(2, 4).value == "Huyện Ba Chẽ"
    # The template's example row is refused as such when uploaded back.
    response = post_upload(client, response.content)
    assert response.context["outcome"].counts["error"] == 1


def test_checking_and_writing_twice_the_rows_costs_no_more_queries(district_inspector):
    """Units, sectors, organizations and establishments on record looked up once per workbook, rows
    written in batches (issue #20)."""
    from stims.testing import import_queries

    headers = ["Tên cơ sở", "Loại hình", "Đơn vị hành chính", "Địa chỉ"]

    def rows(n, start):
        return [
            [f"Cửa hàng xăng dầu số {i}", "Xăng dầu", "Huyện Ba Chẽ", "Xã Thanh Sơn"]
            for i in range(start, start + n)
        ]

    import_queries(district_inspector, "establishments", headers, rows(1, 0))  # warm the caches
    assert import_queries(district_inspector, "establishments", headers, rows(5, 10)) == import_queries(
        district_inspector, "establishments", headers, rows(10, 20)
    )
